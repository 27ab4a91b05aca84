package swift_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stowage/stowage/configmap"
	"github.com/stowage/stowage/driver"
	"github.com/stowage/stowage/swift"
)

// TestBadParams feeds a bad value for every parameter and checks the error
// names it and that no request reached the server.
func TestBadParams(t *testing.T) {
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		http.Error(w, "no", http.StatusUnauthorized)
	}))
	defer srv.Close()
	base := func() map[string]any {
		return map[string]any{
			"authurl": srv.URL + "/auth/v1.0", "username": "u", "password": "hunter2-secret", "container": "c",
		}
	}
	cases := []struct {
		param string
		set   map[string]any
		del   string
	}{
		{"authurl", map[string]any{"authurl": "ftp://example.com/auth"}, ""},
		{"authurl", map[string]any{"authurl": "not a url"}, ""},
		{"authurl", nil, "authurl"},
		{"username", nil, "username"},
		{"username", map[string]any{"username": ""}, ""},
		{"password", nil, "password"},
		{"container", nil, "container"},
		{"container", map[string]any{"container": "a/b"}, ""},
		{"container", map[string]any{"container": strings.Repeat("c", 257)}, ""},
		{"region", map[string]any{"region": "RegionOne", "authversion": 1}, ""},
		{"tenant", map[string]any{"tenant": "t", "authversion": 1}, ""},
		{"tenantid", map[string]any{"tenantid": "t", "authversion": 1}, ""},
		{"domain", map[string]any{"domain": "d", "authversion": 2}, ""},
		{"domainid", map[string]any{"domainid": "d", "authversion": 1}, ""},
		{"tenantdomain", map[string]any{"tenantdomain": "d", "authversion": 2}, ""},
		{"tenantdomainid", map[string]any{"tenantdomainid": "d", "authversion": 2}, ""},
		{"trustid", map[string]any{"trustid": "x", "authversion": 2}, ""},
		{"insecureskipverify", map[string]any{"insecureskipverify": "maybe"}, ""},
		{"chunksize", map[string]any{"chunksize": "512KiB"}, ""},
		{"chunksize", map[string]any{"chunksize": "6GiB"}, ""},
		{"chunksize", map[string]any{"chunksize": "lots"}, ""},
		{"maxconcurrency", map[string]any{"maxconcurrency": 0}, ""},
		{"maxconcurrency", map[string]any{"maxconcurrency": 101}, ""},
		{"maxconcurrency", map[string]any{"maxconcurrency": "many"}, ""},
		{"prefix", map[string]any{"prefix": "a//b"}, ""},
		{"prefix", map[string]any{"prefix": "a/../b"}, ""},
		{"prefix", map[string]any{"prefix": "a~b"}, ""},
		{"secretkey", map[string]any{"secretkey": []any{"k"}}, ""},
		{"accesskey", map[string]any{"accesskey": "ak"}, ""},
		{"accesskey", map[string]any{"accesskey": "ak", "secretkey": "sk", "tempurlcontainerkey": true}, ""},
		{"authversion", map[string]any{"authversion": 4}, ""},
		{"authversion", map[string]any{"authversion": -1}, ""},
		{"authversion", map[string]any{"authversion": "three"}, ""},
		{"authversion", map[string]any{"authurl": "https://identity.example.com/"}, ""},
		{"endpointtype", map[string]any{"endpointtype": "private"}, ""},
		{"tempurlcontainerkey", map[string]any{"tempurlcontainerkey": "sometimes"}, ""},
		{"tempurlmethods", map[string]any{"tempurlmethods": "GET,DELETE"}, ""},
		{"tempurlmethods", map[string]any{"tempurlmethods": []any{"PUT"}}, ""},
		{"bukket", map[string]any{"bukket": "x"}, ""},
	}
	for _, tc := range cases {
		p := base()
		for k, v := range tc.set {
			p[k] = v
		}
		if tc.del != "" {
			delete(p, tc.del)
		}
		_, err := driver.Open(context.Background(), "swift", p)
		if err == nil {
			t.Errorf("%s %v: no error", tc.param, tc.set)
			continue
		}
		if !namesParam(err, tc.param) {
			t.Errorf("%s %v: error does not name the parameter: %v", tc.param, tc.set, err)
		}
		if strings.Contains(err.Error(), "hunter2") {
			t.Errorf("%s: error shows the password: %v", tc.param, err)
		}
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("%d requests were sent for bad parameters", n)
	}
}

// TestNewChecksParams checks New on a Params value that did not go through
// Decode.
func TestNewChecksParams(t *testing.T) {
	_, err := swift.New(context.Background(), swift.Params{AuthURL: "http://127.0.0.1:1/auth/v1.0", Username: "u", Password: "p", Container: "c", AuthVersion: 7})
	if !namesParam(err, "authversion") {
		t.Fatalf("New with authversion 7: %v", err)
	}
	_, err = swift.New(context.Background(), swift.Params{Username: "u", Password: "p", Container: "c"})
	if !namesParam(err, "authurl") {
		t.Fatalf("New without authurl: %v", err)
	}
}

func namesParam(err error, param string) bool {
	var es configmap.Errors
	if errors.As(err, &es) {
		for _, e := range es {
			if e.Param == param {
				return true
			}
		}
		return false
	}
	var e *configmap.Error
	return errors.As(err, &e) && e.Param == param
}
