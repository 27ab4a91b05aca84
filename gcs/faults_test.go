package gcs_test

import (
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/stowage/stowage/conformance/faultproxy/faulttest"
	"github.com/stowage/stowage/driver"
	"github.com/stowage/stowage/gcs"
)

// TestFaults runs the driver through conformance/faultproxy in front of
// fake-gcs-server (see faulttest): at 20 % faults every call succeeds, at
// 45 % every failure is clear and the upload resumes; every committed
// byte is checked over a clean connection.
//
// The requests of resumable upload sessions (the chunks of the part
// objects the writer streams) get no fault: fake-gcs-server gets their
// repeats wrong where GCS does not. A chunk sent again after its answer
// was lost is appended a second time (the object then holds more bytes
// than were written: a silent corruption the writer does not see), and a
// session whose last chunk was stored answers 404 when asked again. With
// STOWAGE_FAULTS_GCS_SESSIONS=1 they get faults too, to show both.
func TestFaults(t *testing.T) {
	srv, _ := startServer(t)
	target := strings.TrimSuffix(srv.Endpoint, "/storage/v1/")
	h := faulttest.Harness{
		Target:     target,
		TargetHost: true, // fake-gcs-server takes another host for a bucket
		Open: func(t testing.TB, proxyURL, root string, opts ...driver.Option) driver.StorageDriver {
			d, err := driver.Open(t.Context(), gcs.Name, map[string]any{
				"bucket": testBucket, "endpoint": proxyURL + "/storage/v1/", "anonymous": true,
				"rootdirectory": root, "chunksize": "5MiB",
			}, opts...)
			if err != nil {
				t.Fatalf("open gcs: %v", err)
			}
			return d
		},
		Clean:     func(t testing.TB, root string) driver.StorageDriver { return open(t, srv, root, nil) },
		ChunkSize: 5 << 20,
	}
	if os.Getenv("STOWAGE_FAULTS_GCS_SESSIONS") == "" {
		h.Exempt = func(r *http.Request) bool {
			return r.URL.Query().Get("upload_id") != "" || r.URL.Query().Get("uploadType") == "resumable"
		}
	}
	faulttest.Run(t, h)
	t.Run("Integrity", func(t *testing.T) { faulttest.Integrity(t, h) })
}
