package s3

import (
	"testing"

	"github.com/stowage/stowage/conformance/faultproxy/faulttest"
	"github.com/stowage/stowage/driver"
)

// TestFaults runs the driver through conformance/faultproxy in front of
// MinIO (see faulttest): at 20 % faults every call succeeds, at 45 % every
// failure is clear and the upload resumes; every committed byte is checked
// over a clean connection.
func TestFaults(t *testing.T) {
	s := startServer(t)
	h := faulttest.Harness{
		Target: s.m.Endpoint,
		Open: func(t testing.TB, proxyURL, root string, opts ...driver.Option) driver.StorageDriver {
			return driver.Wrap(open(t, with(s.params(root), "regionendpoint", proxyURL), opts...), opts...)
		},
		Clean: func(t testing.TB, root string) driver.StorageDriver {
			return driver.Wrap(open(t, s.params(root)))
		},
		ChunkSize: 5 << 20,
	}
	faulttest.Run(t, h)
	t.Run("Integrity", func(t *testing.T) { faulttest.Integrity(t, h) })
}
