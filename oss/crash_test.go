package oss_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stowage/stowage/conformance/faultproxy/faulttest"
	"github.com/stowage/stowage/oss"
)

// TestCrash kills (SIGKILL) a process writing through the driver, before
// and after a Close, and resumes the upload from this one: committed
// bit-exact, or cancelled with nothing left in the bucket or among its
// multipart uploads.
func TestCrash(t *testing.T) {
	faulttest.CrashChild(t)
	srv := startServer(t)
	faulttest.Crash(t, faulttest.CrashHarness{
		Driver:    oss.Name,
		Params:    func(root string) map[string]any { return params(srv, root, nil) },
		ChunkSize: 5 << 20,
		Part: func(r *http.Request) bool {
			return r.Method == http.MethodPut && r.URL.Query().Has("partNumber")
		},
		Leftovers: func(t testing.TB, root, path string) []string {
			var left []string
			for _, k := range srv.Keys(testBucket) {
				if strings.HasPrefix(k, root) {
					left = append(left, k)
				}
			}
			for _, u := range srv.Uploads(testBucket) {
				if strings.HasPrefix(u.Key, root) {
					left = append(left, "upload "+u.Key+" "+u.UploadID)
				}
			}
			return left
		},
	})
}
