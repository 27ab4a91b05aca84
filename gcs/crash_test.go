package gcs_test

import (
	"net/http"
	"testing"

	"github.com/stowage/stowage/conformance"
	"github.com/stowage/stowage/conformance/faultproxy/faulttest"
	"github.com/stowage/stowage/gcs"
)

// TestCrash kills (SIGKILL) a process writing through the driver, before
// and after a Close, and resumes the upload from this one: committed
// bit-exact, or cancelled with nothing left in the bucket.
func TestCrash(t *testing.T) {
	faulttest.CrashChild(t)
	srv, client := startServer(t)
	in := inspector(client)
	faulttest.Crash(t, faulttest.CrashHarness{
		Driver: gcs.Name,
		Params: func(root string) map[string]any {
			return map[string]any{"bucket": testBucket, "endpoint": srv.Endpoint, "anonymous": true, "rootdirectory": root, "chunksize": "5MiB"}
		},
		ChunkSize: 5 << 20,
		Part: func(r *http.Request) bool {
			return r.Method == http.MethodPost && r.URL.Query().Get("uploadType") == "multipart"
		},
		Leftovers: func(t testing.TB, root, _ string) []string { return in.Keys(t.(conformance.TB), root) },
	})
}
