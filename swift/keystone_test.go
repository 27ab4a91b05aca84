package swift_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stowage/stowage/conformance/emulator"
)

// TestKeystoneAuth drives the v2 and v3 auth paths: a stand-in identity
// service checks what the driver sends (tenant, domains, trust) and answers
// with a catalog whose only working object-store endpoint is the real Swift
// proxy, under the region and interface asked for, and with a token
// tempauth issued. The driver then works against the real cluster only if
// it picked that endpoint.
func TestKeystoneAuth(t *testing.T) {
	c := startCluster(t, emulator.SwiftOptions{})
	conn := rawConn(t, c)
	token, storageURL := conn.AuthToken, conn.StorageUrl
	const dead = "http://127.0.0.1:1/v1/AUTH_nowhere"
	var mu sync.Mutex
	var bodies []string
	ks := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies = append(bodies, string(b))
		mu.Unlock()
		expires := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/v3/auth/tokens":
			w.Header().Set("X-Subject-Token", token)
			w.WriteHeader(http.StatusCreated)
			fmt.Fprintf(w, `{"token": {"expires_at": %q, "catalog": [{"type": "object-store", "endpoints": [
				{"interface": "public", "region": "RegionOne", "url": %q},
				{"interface": "internal", "region": "RegionOne", "url": %q},
				{"interface": "public", "region": "RegionTwo", "url": %q},
				{"interface": "internal", "region": "RegionTwo", "url": %q}]}]}}`,
				expires, dead, dead, dead, storageURL)
		case "/v2.0/tokens":
			fmt.Fprintf(w, `{"access": {"token": {"id": %q, "expires": %q, "tenant": {"id": "tid", "name": "tname"}},
				"serviceCatalog": [{"type": "object-store", "name": "swift", "endpoints": [
				{"region": "RegionOne", "publicURL": %q, "internalURL": %q, "adminURL": %q},
				{"region": "RegionTwo", "publicURL": %q, "internalURL": %q, "adminURL": %q}]}]}}`,
				token, expires, dead, dead, dead, dead, dead, storageURL)
		default:
			http.NotFound(w, r)
		}
	}))
	defer ks.Close()

	for _, tc := range []struct {
		name  string
		extra map[string]any
		want  []string // in the auth request body
	}{
		{"v3", map[string]any{
			"authurl": ks.URL + "/v3", "region": "RegionTwo", "endpointtype": "internal",
			"domain": "users-domain", "tenant": "proj", "tenantdomain": "proj-domain",
		}, []string{`"users-domain"`, `"proj"`, `"proj-domain"`}},
		{"v3-ids-and-trust", map[string]any{
			"authurl": ks.URL + "/v3", "authversion": 3, "region": "RegionTwo", "endpointtype": "internal",
			"domainid": "did", "trustid": "the-trust",
		}, []string{`"did"`, `"the-trust"`}},
		{"v2", map[string]any{
			"authurl": ks.URL + "/v2.0", "region": "RegionTwo", "endpointtype": "admin",
			"tenant": "tname", "tenantid": "tid",
		}, []string{`"tname"`, `"tid"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mu.Lock()
			bodies = nil
			mu.Unlock()
			d := c.open(t, "keystone", tc.extra)
			if err := d.PutContent(t.Context(), "/"+tc.name, []byte("x")); err != nil {
				t.Fatal(err)
			}
			mu.Lock()
			all := strings.Join(bodies, "\n")
			mu.Unlock()
			for _, w := range tc.want {
				if !strings.Contains(all, w) {
					t.Errorf("auth request lacks %s: %s", w, redactBody(all))
				}
			}
		})
	}
}

func redactBody(s string) string {
	var m any
	if json.Unmarshal([]byte(s), &m) != nil {
		return "(not JSON)"
	}
	return strings.ReplaceAll(s, "testing", "<redacted>")
}
