package s3

import (
	"context"
	"maps"
	"net/http"
	"sync"
	"testing"

	"github.com/stowage/stowage/configmap"
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
func open(t testing.TB, params map[string]any, opts ...driver.Option) *Driver {
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

// TestMinIO runs every test that needs a server against one MinIO.
func TestMinIO(t *testing.T) {
	s := startServer(t)
	for _, tc := range []struct {
		name string
		f    func(*testing.T, *server)
	}{
		{"Basics", testBasics},
		{"ParallelParts", testParallelParts},
		{"Encryption", testEncryption},
		{"StorageClass", testStorageClass},
		{"Headers", testHeaders},
		{"LogLevel", testLogLevel},
		{"SeedPolicy", testSeedPolicy},
		{"MissingAction", testMissingAction},
		{"MissingDelete", testMissingDelete},
		{"Paging", testPaging},
		{"Redirect", testRedirect},
		{"Purge", testPurge},
		{"MoveMultipart", testMoveMultipart},
		{"MoveSeen", testMoveSeen},
		{"UploadRequests", testUploadRequests},
		{"WriteDuringCreate", testWriteDuringCreate},
		{"CancelWaitsForPart", testCancelWaitsForPart},
		{"ChecksumModes", testChecksumModes},
	} {
		t.Run(tc.name, func(t *testing.T) { tc.f(t, s) })
	}
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
