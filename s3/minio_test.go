package s3

import (
	"context"
	"maps"
	"net/http"
	"os"
	"sync"
	"testing"

	"github.com/stowage/stowage/configmap"
	"github.com/stowage/stowage/conformance"
	"github.com/stowage/stowage/conformance/emulator"
	"github.com/stowage/stowage/driver"
)

// server is the MinIO all the tests of the package share.
type server struct {
	m      *emulator.MinIO
	bucket string
}

// startServer starts MinIO with a bucket for the test and its subtests.
func startServer(t testing.TB) *server {
	t.Helper()
	m := emulator.StartMinIO(t)
	return &server{m: m, bucket: m.MakeBucket(t, "stowage-test")}
}

// params returns the base parameters for the shared server, path style.
func (s *server) params(root string) map[string]any {
	return map[string]any{
		"accesskey":      s.m.AccessKey,
		"secretkey":      s.m.SecretKey,
		"region":         s.m.Region,
		"regionendpoint": s.m.Endpoint,
		"bucket":         s.bucket,
		"rootdirectory":  root,
		"chunksize":      "5MiB",
	}
}

// open decodes params (with overrides) and returns the unwrapped driver.
func open(t testing.TB, params map[string]any, opts ...Option) *Driver {
	t.Helper()
	var p Params
	if err := configmap.Decode(params, &p); err != nil {
		t.Fatalf("decode: %v", err)
	}
	d, err := newDriver(context.Background(), p, opts...)
	if err != nil {
		t.Fatalf("new: %v", err)
	}
	return d
}

func with(base map[string]any, kv ...any) map[string]any {
	m := maps.Clone(base)
	for i := 0; i < len(kv); i += 2 {
		m[kv[i].(string)] = kv[i+1]
	}
	return m
}

func harness(open func(t conformance.TB, root string) driver.StorageDriver) conformance.Harness {
	h := conformance.Harness{Open: open, ChunkSize: 5 << 20}
	if os.Getenv("STOWAGE_CONFORMANCE_LARGE") == "" {
		h.LargeSize = 16 << 20
	}
	return h
}

// TestMinIO runs every test that needs a server against one MinIO.
func TestMinIO(t *testing.T) {
	s := startServer(t)
	for _, tc := range []struct {
		name string
		f    func(*testing.T, *server)
	}{
		{"ConformancePathStyle", testConformancePathStyle},
		{"ConformanceVirtualHosted", testConformanceVirtualHosted},
	} {
		t.Run(tc.name, func(t *testing.T) { tc.f(t, s) })
	}
}

func testConformancePathStyle(t *testing.T, s *server) {
	conformance.Run(t, harness(func(t conformance.TB, root string) driver.StorageDriver {
		return driver.Wrap(open(t.(testing.TB), s.params(root)))
	}))
}

func testConformanceVirtualHosted(t *testing.T, s *server) {
	conformance.Run(t, harness(func(t conformance.TB, root string) driver.StorageDriver {
		p := with(s.params(root),
			"regionendpoint", s.m.HostEndpoint,
			"forcepathstyle", false,
			// Redirect URLs must resolve for a plain HTTP client.
			"redirectendpoint", s.m.Endpoint)
		d := open(t.(testing.TB), p, WithHTTPClient(s.m.HTTPClient()))
		return driver.Wrap(d)
	}))
}

// recorder records the requests a driver sends.
type recorder struct {
	mu   sync.Mutex
	reqs []*http.Request
	next http.RoundTripper
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	r.mu.Lock()
	r.reqs = append(r.reqs, req.Clone(context.Background()))
	r.mu.Unlock()
	return r.next.RoundTrip(req)
}

func (r *recorder) requests() []*http.Request {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]*http.Request(nil), r.reqs...)
}

func newRecorder() (*recorder, *http.Client) {
	r := &recorder{next: emulator.LocalhostTransport()}
	return r, &http.Client{Transport: r}
}
