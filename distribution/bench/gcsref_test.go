package bench

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	storagedriver "github.com/distribution/distribution/v3/registry/storage/driver"
	distgcs "github.com/distribution/distribution/v3/registry/storage/driver/gcs"
	"golang.org/x/oauth2"
)

// gcsReference opens distribution's gcs driver on the fake-gcs-server at
// host (its address or a proxy's). The driver has no endpoint parameter:
// its storage client follows STORAGE_EMULATOR_HOST (no credentials, paths
// on host), and its writer, which sends resumable uploads to
// https://www.googleapis.com itself with an OAuth2 client, gets through the
// context an HTTP client that sends www.googleapis.com's requests to host
// and answers the token requests of a made-up service account.
func gcsReference(b testing.TB, host, root string) (storagedriver.StorageDriver, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	pk := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: must(x509.MarshalPKCS8PrivateKey(key))})
	sa, _ := json.Marshal(map[string]string{
		"type": "service_account", "project_id": "bench", "private_key_id": "1",
		"private_key": string(pk), "client_email": "bench@bench.iam.gserviceaccount.com",
		"client_id": "1", "token_uri": "http://oauth.invalid/token",
	})
	file := filepath.Join(b.TempDir(), "sa.json")
	if err := os.WriteFile(file, sa, 0o600); err != nil {
		return nil, err
	}
	b.Setenv("STORAGE_EMULATOR_HOST", host)
	ctx := context.WithValue(context.Background(), oauth2.HTTPClient, &http.Client{Transport: googleToEmulator{host: host}})
	return distgcs.FromParameters(ctx, map[string]any{"bucket": "bench", "rootdirectory": root, "keyfile": file})
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// googleToEmulator sends the requests for Google's API hosts to an
// emulator and answers OAuth2 token requests itself.
type googleToEmulator struct{ host string }

func (g googleToEmulator) RoundTrip(r *http.Request) (*http.Response, error) {
	switch r.URL.Host {
	case "oauth.invalid":
		if r.Body != nil {
			_ = r.Body.Close()
		}
		body := `{"access_token":"bench","token_type":"Bearer","expires_in":3600}`
		return &http.Response{
			StatusCode: http.StatusOK, Status: "200 OK", Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
			Header: http.Header{"Content-Type": {"application/json"}}, Body: io.NopCloser(strings.NewReader(body)),
			ContentLength: int64(len(body)), Request: r,
		}, nil
	case "www.googleapis.com", "storage.googleapis.com":
		r = r.Clone(r.Context())
		r.URL.Scheme, r.URL.Host, r.Host = "http", g.host, g.host
	}
	return http.DefaultTransport.RoundTrip(r)
}
