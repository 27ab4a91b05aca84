package oss_test

import (
	"testing"

	"github.com/stowage/stowage/conformance/faultproxy/faulttest"
	"github.com/stowage/stowage/driver"
	"github.com/stowage/stowage/oss"
)

// TestFaults runs the driver through conformance/faultproxy in front of
// oss/osstest (see faulttest): at 20 % faults every call succeeds, at
// 45 % every failure is clear and the upload resumes; every committed
// byte is checked over a clean connection.
func TestFaults(t *testing.T) {
	srv := startServer(t)
	h := faulttest.Harness{
		Target: srv.URL,
		Open: func(t testing.TB, proxyURL, root string, opts ...driver.Option) driver.StorageDriver {
			d, err := driver.Open(t.Context(), oss.Name, params(srv, root, map[string]any{"endpoint": proxyURL}), opts...)
			if err != nil {
				t.Fatalf("open oss: %v", err)
			}
			return d
		},
		Clean:     func(t testing.TB, root string) driver.StorageDriver { return open(t, srv, root, nil) },
		ChunkSize: 5 << 20,
	}
	faulttest.Run(t, h)
	t.Run("Integrity", func(t *testing.T) { faulttest.Integrity(t, h) })
}
