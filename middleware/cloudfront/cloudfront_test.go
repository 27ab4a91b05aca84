package cloudfront

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1" //nolint:gosec // CloudFront signs with RSA-SHA1
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stowage/stowage/configmap"
	"github.com/stowage/stowage/driver"
)

// storage stands for the wrapped driver: only RedirectURL is called.
type storage struct{ driver.StorageDriver }

func (storage) Name() string { return "storage" }
func (storage) RedirectURL(_ *http.Request, path string) (string, error) {
	return "https://bucket.s3.example.com" + path + "?presigned", nil
}

const ranges = `{"syncToken":"1","prefixes":[
 {"ip_prefix":"10.0.0.0/8","region":"us-east-1","service":"AMAZON"},
 {"ip_prefix":"192.168.0.0/16","region":"eu-west-1","service":"AMAZON"}],
 "ipv6_prefixes":[{"ipv6_prefix":"2001:db8::/32","region":"us-east-1","service":"AMAZON"}]}`

func keyFile(t *testing.T, pkcs8 bool) (string, *rsa.PublicKey) {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	block := &pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}
	if pkcs8 {
		der, _ := x509.MarshalPKCS8PrivateKey(key)
		block = &pem.Block{Type: "PRIVATE KEY", Bytes: der}
	}
	path := filepath.Join(t.TempDir(), "pk.pem")
	if err := os.WriteFile(path, pem.EncodeToMemory(block), 0o600); err != nil {
		t.Fatal(err)
	}
	return path, &key.PublicKey
}

func rangesServer(t *testing.T, hits *atomic.Int32) *httptest.Server {
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		_, _ = w.Write([]byte(ranges))
	}))
	t.Cleanup(s.Close)
	return s
}

// verify checks a signed URL with the public key, as CloudFront does for a
// canned policy.
func verify(t *testing.T, signed string, pub *rsa.PublicKey, wantResource string) {
	t.Helper()
	u, err := url.Parse(signed)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if q.Get("Key-Pair-Id") != "KPID" {
		t.Fatalf("Key-Pair-Id = %q", q.Get("Key-Pair-Id"))
	}
	exp, err := strconv.ParseInt(q.Get("Expires"), 10, 64)
	if err != nil {
		t.Fatalf("Expires: %v", err)
	}
	if d := time.Until(time.Unix(exp, 0)); d < 19*time.Minute || d > 21*time.Minute {
		t.Fatalf("expires in %v, want 20m", d)
	}
	resource := strings.SplitN(signed, "?", 2)[0]
	if resource != wantResource {
		t.Fatalf("resource %q, want %q", resource, wantResource)
	}
	policy := fmt.Sprintf(`{"Statement":[{"Resource":"%s","Condition":{"DateLessThan":{"AWS:EpochTime":%d}}}]}`, resource, exp)
	sig, err := base64.StdEncoding.DecodeString(strings.NewReplacer("-", "+", "_", "=", "~", "/").Replace(q.Get("Signature")))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha1.Sum([]byte(policy)) //nolint:gosec
	if err := rsa.VerifyPKCS1v15(pub, crypto.SHA1, sum[:], sig); err != nil {
		t.Fatalf("signature does not verify: %v", err)
	}
}

func request(ip string) *http.Request {
	r := httptest.NewRequest(http.MethodGet, "/v2/x/blobs/sha256:1", nil)
	r.RemoteAddr = ip + ":5555"
	return r
}

func TestRedirect(t *testing.T) {
	var hits atomic.Int32
	srv := rangesServer(t, &hits)
	for _, pkcs8 := range []bool{false, true} {
		pk, pub := keyFile(t, pkcs8)
		for _, tc := range []struct {
			filter  string
			regions string
			bypass  map[string]bool
		}{
			{"none", "", map[string]bool{"10.1.2.3": false, "8.8.8.8": false}},
			{"aws", "", map[string]bool{"10.1.2.3": true, "192.168.4.5": true, "2001:db8::1": true, "8.8.8.8": false, "2001:db9::1": false}},
			{"awsregion", "eu-west-1", map[string]bool{"10.1.2.3": false, "192.168.4.5": true, "8.8.8.8": false}},
			{"awsregion", "us-east-1, eu-west-1", map[string]bool{"10.1.2.3": true, "192.168.4.5": true, "2001:db8::1": true}},
		} {
			t.Run(fmt.Sprintf("pkcs8=%v/%s/%s", pkcs8, tc.filter, tc.regions), func(t *testing.T) {
				opts := map[string]any{
					"baseurl": "https://d111111abcdef8.cloudfront.net/", "privatekey": pk, "keypairid": "KPID",
					"ipfilteredby": tc.filter, "iprangesurl": srv.URL,
				}
				if tc.regions != "" {
					opts["awsregion"] = tc.regions
				}
				d, err := driver.ApplyMiddleware(context.Background(), storage{}, []driver.MiddlewareConfig{{Name: "cloudfront", Options: opts}})
				if err != nil {
					t.Fatal(err)
				}
				m, ok := driver.As[*Middleware](d)
				if !ok {
					t.Fatal("not a *Middleware")
				}
				defer m.Close()
				if err := m.Refresh(t.Context()); err != nil {
					t.Fatal(err)
				}
				for ip, bypass := range tc.bypass {
					u, err := d.RedirectURL(request(ip), "/docker/registry/v2/blobs/ab/data")
					if err != nil {
						t.Fatal(err)
					}
					if bypass {
						if u != "https://bucket.s3.example.com/docker/registry/v2/blobs/ab/data?presigned" {
							t.Errorf("%s: got %q, want the storage's URL", ip, u)
						}
						continue
					}
					verify(t, u, pub, "https://d111111abcdef8.cloudfront.net/docker/registry/v2/blobs/ab/data")
				}
				// X-Forwarded-For names the client behind a proxy.
				if tc.filter == "aws" {
					r := request("8.8.8.8")
					r.Header.Set("X-Forwarded-For", "10.9.9.9, 8.8.8.8")
					if u, _ := d.RedirectURL(r, "/a"); !strings.HasSuffix(u, "?presigned") {
						t.Errorf("X-Forwarded-For from AWS: got %q", u)
					}
				}
				if _, err := d.RedirectURL(request("8.8.8.8"), "../etc"); !errors.As(err, new(driver.InvalidPathError)) {
					t.Errorf("bad path: %v", err)
				}
			})
		}
	}
	if hits.Load() == 0 {
		t.Fatal("the IP ranges were never fetched")
	}
}

// TestRefreshKeepsRanges checks that a failed refresh keeps the ranges
// and that Close stops the background refresh.
func TestRefreshKeepsRanges(t *testing.T) {
	var fail atomic.Bool
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if fail.Load() {
			http.Error(w, "down", http.StatusServiceUnavailable)
			return
		}
		_, _ = w.Write([]byte(ranges))
	}))
	defer srv.Close()
	pk, _ := keyFile(t, false)
	var p Params
	if err := configmap.Decode(map[string]any{"baseurl": "https://cdn.example.com", "privatekey": pk, "keypairid": "KPID", "ipfilteredby": "aws", "iprangesurl": srv.URL, "updatefrequency": "1s"}, &p); err != nil {
		t.Fatal(err)
	}
	m, err := New(t.Context(), storage{}, p)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Refresh(t.Context()); err != nil {
		t.Fatal(err)
	}
	fail.Store(true)
	if err := m.Refresh(t.Context()); err == nil {
		t.Fatal("refresh from a failing server succeeded")
	}
	if u, _ := m.RedirectURL(request("10.0.0.1"), "/a"); !strings.HasSuffix(u, "?presigned") {
		t.Fatalf("ranges lost after a failed refresh: %q", u)
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	after := hits.Load()
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	if hits.Load() != after {
		t.Fatal("refresh ran after Close returned")
	}
}

func TestBadOptions(t *testing.T) {
	pk, _ := keyFile(t, false)
	notKey := filepath.Join(t.TempDir(), "not.pem")
	_ = os.WriteFile(notKey, []byte("hello"), 0o600)
	good := func() map[string]any {
		return map[string]any{"baseurl": "https://cdn.example.com/", "privatekey": pk, "keypairid": "KPID"}
	}
	for _, tc := range []struct {
		param string
		set   map[string]any
	}{
		{"baseurl", map[string]any{"baseurl": nil}},
		{"baseurl", map[string]any{"baseurl": "cdn.example.com"}},
		{"baseurl", map[string]any{"baseurl": "ftp://cdn.example.com"}},
		{"privatekey", map[string]any{"privatekey": nil}},
		{"privatekey", map[string]any{"privatekey": "/no/such/file.pem"}},
		{"privatekey", map[string]any{"privatekey": notKey}},
		{"keypairid", map[string]any{"keypairid": nil}},
		{"keypairid", map[string]any{"keypairid": "a b"}},
		{"duration", map[string]any{"duration": "soon"}},
		{"duration", map[string]any{"duration": "0s"}},
		{"ipfilteredby", map[string]any{"ipfilteredby": "gcp"}},
		{"awsregion", map[string]any{"ipfilteredby": "awsregion"}},
		{"awsregion", map[string]any{"ipfilteredby": "aws", "awsregion": "us-east-1"}},
		{"awsregion", map[string]any{"ipfilteredby": "awsregion", "awsregion": "US EAST"}},
		{"updatefrequency", map[string]any{"updatefrequency": "often"}},
		{"updatefrequency", map[string]any{"updatefrequency": "1ms"}},
		{"iprangesurl", map[string]any{"iprangesurl": "file:///etc/passwd"}},
		{"nosuch", map[string]any{"nosuch": 1}},
	} {
		t.Run(tc.param, func(t *testing.T) {
			opts := good()
			for k, v := range tc.set {
				if v == nil {
					delete(opts, k)
				} else {
					opts[k] = v
				}
			}
			_, err := driver.ApplyMiddleware(context.Background(), storage{}, []driver.MiddlewareConfig{{Name: "cloudfront", Options: opts}})
			var es configmap.Errors
			if !errors.As(err, &es) {
				t.Fatalf("error %v is not configmap.Errors", err)
			}
			for _, e := range es {
				if e.Param == tc.param {
					return
				}
			}
			t.Fatalf("error does not name %s: %v", tc.param, err)
		})
	}
}
