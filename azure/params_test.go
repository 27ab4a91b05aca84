package azure_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/stowage/stowage/azure"
	"github.com/stowage/stowage/configmap"
	"github.com/stowage/stowage/driver"
)

const devKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="

// TestBadParams checks that every parameter's bad values are refused by the
// factory, before any request (no server runs here), with an error naming
// the parameter.
func TestBadParams(t *testing.T) {
	cases := []struct {
		name   string
		params map[string]any
		param  string
	}{
		{"accountname missing", map[string]any{"accountname": nil}, "accountname"},
		{"accountname upper", map[string]any{"accountname": "MyAccount"}, "accountname"},
		{"accountname too long", map[string]any{"accountname": strings.Repeat("a", 25)}, "accountname"},
		{"accountname map", map[string]any{"accountname": map[string]any{"a": 1}}, "accountname"},
		{"accountkey missing for shared_key", map[string]any{"accountkey": nil, "credentials": map[string]any{"type": "shared_key"}}, "accountkey"},
		{"container missing", map[string]any{"container": nil}, "container"},
		{"container upper", map[string]any{"container": "Registry"}, "container"},
		{"container double hyphen", map[string]any{"container": "a--b"}, "container"},
		{"container short", map[string]any{"container": "ab"}, "container"},
		{"realm spaces", map[string]any{"realm": "core windows net"}, "realm"},
		{"realm single label", map[string]any{"realm": "localhost"}, "realm"},
		{"credentials not a map", map[string]any{"credentials": "shared_key"}, "credentials"},
		{"credentials.type unknown", map[string]any{"credentials": map[string]any{"type": "password"}}, "credentials.type"},
		{"credentials.tenantid missing", map[string]any{"credentials": map[string]any{"type": "client_secret", "clientid": "c", "secret": "s"}}, "credentials.tenantid"},
		{"credentials.clientid missing", map[string]any{"credentials": map[string]any{"type": "client_secret", "tenantid": "t", "secret": "s"}}, "credentials.clientid"},
		{"credentials.secret missing", map[string]any{"credentials": map[string]any{"type": "client_secret", "tenantid": "t", "clientid": "c"}}, "credentials.secret"},
		{"credentials.secret not a string", map[string]any{"credentials": map[string]any{"type": "client_secret", "tenantid": "t", "clientid": "c", "secret": []any{1}}}, "credentials.secret"},
		{"credentials unknown key", map[string]any{"credentials": map[string]any{"tennantid": "t"}}, "credentials.tennantid"},
		{"serviceurl relative", map[string]any{"serviceurl": "devstoreaccount1"}, "serviceurl"},
		{"serviceurl scheme", map[string]any{"serviceurl": "ftp://127.0.0.1/x"}, "serviceurl"},
		{"serviceurl query", map[string]any{"serviceurl": "https://a.blob.core.windows.net/?sv=1"}, "serviceurl"},
		{"rootdirectory dotdot", map[string]any{"rootdirectory": "a/../b"}, "rootdirectory"},
		{"maxretries negative", map[string]any{"maxretries": -1}, "maxretries"},
		{"maxretries huge", map[string]any{"maxretries": 1000}, "maxretries"},
		{"maxretries words", map[string]any{"maxretries": "often"}, "maxretries"},
		{"retrydelay number", map[string]any{"retrydelay": 100}, "retrydelay"},
		{"retrydelay zero", map[string]any{"retrydelay": "0s"}, "retrydelay"},
		{"retrydelay huge", map[string]any{"retrydelay": "2h"}, "retrydelay"},
		{"retrydelay words", map[string]any{"retrydelay": "soon"}, "retrydelay"},
		{"skipverify words", map[string]any{"skipverify": "maybe"}, "skipverify"},
		{"unknown", map[string]any{"acountname": "x"}, "acountname"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			params := map[string]any{"accountname": "devstoreaccount1", "accountkey": devKey, "container": "registry"}
			for k, v := range c.params {
				if v == nil {
					delete(params, k)
					continue
				}
				params[k] = v
			}
			_, err := driver.Open(context.Background(), azure.Name, params)
			if err == nil {
				t.Fatal("accepted")
			}
			var ce *configmap.Error
			if !errors.As(err, &ce) {
				t.Fatalf("error %v (%T) is not a *configmap.Error", err, err)
			}
			found := false
			var es configmap.Errors
			if errors.As(err, &es) {
				for _, e := range es {
					found = found || e.Param == c.param
				}
			} else {
				found = ce.Param == c.param
			}
			if !found {
				t.Fatalf("error %v does not name %q", err, c.param)
			}
			if strings.Contains(err.Error(), devKey) {
				t.Fatalf("error shows the key: %v", err)
			}
		})
	}
}

// TestGoodParams checks forms that open without a request.
func TestGoodParams(t *testing.T) {
	for name, p := range map[string]map[string]any{
		"shared key":      {"accountname": "acct", "accountkey": devKey, "container": "registry"},
		"explicit shared": {"accountname": "acct", "accountkey": devKey, "container": "registry", "credentials": map[string]any{"type": "SHARED_KEY"}, "realm": "core.chinacloudapi.cn"},
		"client secret":   {"accountname": "acct", "container": "registry", "credentials": map[any]any{"type": "client_secret", "tenantid": "t", "clientid": "c", "secret": "s"}},
		"azurite":         {"accountname": "devstoreaccount1", "accountkey": devKey, "container": "registry", "serviceurl": "http://127.0.0.1:10000/devstoreaccount1", "maxretries": "0", "retrydelay": "1s", "skipverify": "true", "rootdirectory": "/docker/"},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := driver.Open(context.Background(), azure.Name, p); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestPlaceholderAccountKey checks that the README's example accountkey
// (base64key==, a placeholder) validates with a warning and is refused,
// naming the parameter, only when the driver opens.
func TestPlaceholderAccountKey(t *testing.T) {
	params := map[string]any{"accountname": "myaccount", "accountkey": "base64key==", "container": "registry"}
	var p azure.Params
	if err := configmap.Decode(params, &p); err != nil {
		t.Fatalf("README example refused: %v", err)
	}
	if w := p.Warnings(); len(w) != 1 || !strings.Contains(w[0], "accountkey") {
		t.Fatalf("Warnings = %q", w)
	}
	_, err := azure.New(t.Context(), p)
	if err == nil || !strings.Contains(err.Error(), `"accountkey"`) {
		t.Fatalf("New with a placeholder key: %v, want accountkey named", err)
	}
}
