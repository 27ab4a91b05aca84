package gcs_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/stowage/stowage/conformance/faultproxy/faulttest"
	"github.com/stowage/stowage/driver"
	"github.com/stowage/stowage/gcs"
)

// TestSecrets runs the driver with a service account key through the work
// of a registry and through failing requests, logging at debug level (the
// Google client logs its requests and responses there): the private key
// and the access token show in no log line, error or printed form.
func TestSecrets(t *testing.T) {
	srv, _ := startServer(t)
	const token = "ya29.stowage-secret-access-token-7c3b"
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"access_token": token, "token_type": "Bearer", "expires_in": 3600})
	}))
	t.Cleanup(ts.Close)
	_, creds := serviceAccountKey(t, ts.URL+"/token")
	var key struct {
		PrivateKey string `json:"private_key"`
	}
	_ = json.Unmarshal([]byte(creds), &key)
	keyLine := strings.Split(key.PrivateKey, "\n")[2] // a line of the key's base64
	target := strings.TrimSuffix(srv.Endpoint, "/storage/v1/")
	faulttest.Secrets(t, faulttest.SecretsHarness{
		Target:     target,
		TargetHost: true,
		Open: func(t testing.TB, proxyURL, root string, opts ...driver.Option) driver.StorageDriver {
			d, err := driver.Open(t.Context(), gcs.Name, map[string]any{
				"bucket": testBucket, "endpoint": proxyURL + "/storage/v1/", "credentials": creds,
				"rootdirectory": root, "chunksize": "5MiB",
			}, opts...)
			if err != nil {
				t.Fatalf("open gcs: %v", err)
			}
			return d
		},
		Secrets:   func() []string { return []string{token, keyLine} },
		Patterns:  []*regexp.Regexp{regexp.MustCompile(`Bearer [A-Za-z0-9._-]{10,}`)},
		ChunkSize: 5 << 20,
	})
}
