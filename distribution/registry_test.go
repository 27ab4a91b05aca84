package distribution_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/distribution/distribution/v3/configuration"
	"github.com/distribution/distribution/v3/registry/handlers"
	storagedriver "github.com/distribution/distribution/v3/registry/storage/driver"
)

// testRegistry is distribution's registry application in-process on an
// httptest server on 127.0.0.1, its storage the backend's stowage driver.
type testRegistry struct {
	t    *testing.T
	base *url.URL
	// area is the root directory (or prefix) of the registry's storage.
	area string
	// host is 127.0.0.1:PORT, for image references.
	host string
	// driver is a second driver on the registry's storage area, to look at
	// what the registry stored.
	driver storagedriver.StorageDriver
	// noRedirect is a client that does not follow redirects.
	noRedirect *http.Client
}

// startRegistry starts a registry with deletes enabled, upload purging off,
// and the storage middleware given, on a fresh area of the backend.
func startRegistry(t *testing.T, b backend, middleware ...configuration.Middleware) *testRegistry {
	t.Helper()
	area := root("registry")
	params := configuration.Parameters(b.params(area))
	// Parse sets the defaults (catalog and tag list page sizes among them)
	// that a Configuration literal would leave at zero.
	cfg, err := configuration.Parse(strings.NewReader("version: 0.1\nstorage: {inmemory: {}}\n"))
	if err != nil {
		t.Fatal(err)
	}
	cfg.Storage = configuration.Storage{
		b.name:        params,
		"delete":      configuration.Parameters{"enabled": true},
		"maintenance": configuration.Parameters{"uploadpurging": map[any]any{"enabled": false}},
	}
	cfg.HTTP.Secret = "stowage-distribution-test"
	if len(middleware) > 0 {
		cfg.Middleware = map[string][]configuration.Middleware{"storage": middleware}
	}
	ctx, cancel := context.WithCancel(context.Background())
	app := handlers.NewApp(ctx, cfg)
	srv := httptest.NewServer(app)
	t.Cleanup(func() {
		srv.Close()
		_ = app.Shutdown()
		cancel()
	})
	u, _ := url.Parse(srv.URL)
	return &testRegistry{
		t:      t,
		base:   u,
		area:   area,
		host:   u.Host,
		driver: b.open(t, area),
		noRedirect: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		}},
	}
}

// url resolves a path or Location against the registry.
func (r *testRegistry) url(ref string) string {
	u, err := r.base.Parse(ref)
	if err != nil {
		r.t.Fatalf("bad URL %q: %v", ref, err)
	}
	return u.String()
}

type response struct {
	*http.Response
	body []byte
}

// do sends a request (following redirects unless client says otherwise)
// and reads the whole response.
func (r *testRegistry) do(client *http.Client, method, ref string, body []byte, header ...string) response {
	r.t.Helper()
	var rd io.Reader
	if body != nil {
		rd = strings.NewReader(string(body))
	}
	req, err := http.NewRequest(method, r.url(ref), rd)
	if err != nil {
		r.t.Fatal(err)
	}
	if body != nil {
		req.ContentLength = int64(len(body))
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		r.t.Fatalf("%s %s: %v", method, ref, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		r.t.Fatalf("%s %s: reading body: %v", method, ref, err)
	}
	return response{resp, b}
}

// expect fails the test unless the response has the status.
func (resp response) expect(t *testing.T, status int, what string) response {
	t.Helper()
	if resp.StatusCode != status {
		t.Fatalf("%s: %s %s: status %d, want %d: %s", what, resp.Request.Method, resp.Request.URL, resp.StatusCode, status, resp.body)
	}
	return resp
}

func digestOf(b []byte) string {
	h := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(h[:])
}

// blobDataPath is where distribution keeps a blob's bytes.
func blobDataPath(digest string) string {
	hexPart := strings.TrimPrefix(digest, "sha256:")
	return "/docker/registry/v2/blobs/sha256/" + hexPart[:2] + "/" + hexPart + "/data"
}

// storedBlobs returns the digests of every blob whose data is in the
// registry's storage, found by walking it with the driver.
func (r *testRegistry) storedBlobs() map[string]bool {
	r.t.Helper()
	out := map[string]bool{}
	err := r.driver.Walk(context.Background(), "/docker/registry/v2/blobs", func(fi storagedriver.FileInfo) error {
		p := fi.Path()
		if !fi.IsDir() && strings.HasSuffix(p, "/data") {
			parts := strings.Split(p, "/")
			out["sha256:"+parts[len(parts)-2]] = true
		}
		return nil
	})
	if err != nil {
		var nf storagedriver.PathNotFoundError
		if !errors.As(err, &nf) {
			r.t.Fatalf("walk blobs: %v", err)
		}
	}
	return out
}
