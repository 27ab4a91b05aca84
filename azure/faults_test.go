package azure_test

import (
	"strings"
	"testing"

	"github.com/stowage/stowage/azure"
	"github.com/stowage/stowage/conformance/emulator"
	"github.com/stowage/stowage/conformance/faultproxy/faulttest"
	"github.com/stowage/stowage/driver"
)

// TestFaults runs the driver through conformance/faultproxy in front of
// Azurite (see faulttest): at 20 % faults every call succeeds, at 45 %
// every failure is clear and the upload resumes; every committed byte is
// checked over a clean connection. maxretries is 10 here (the default, 5,
// gives up on one request in 15,000 at 20 % faults).
func TestFaults(t *testing.T) {
	srv, _ := startServer(t, emulator.AzuriteOptions{})
	target := strings.TrimSuffix(srv.ServiceURL, "/"+emulator.AzuriteAccount)
	h := faulttest.Harness{
		Target: target,
		Open: func(t testing.TB, proxyURL, root string, opts ...driver.Option) driver.StorageDriver {
			p := params(srv, root, map[string]any{"serviceurl": proxyURL + "/" + emulator.AzuriteAccount, "maxretries": 10})
			d, err := driver.Open(t.Context(), azure.Name, p, opts...)
			if err != nil {
				t.Fatalf("open azure: %v", err)
			}
			return d
		},
		Clean:     func(t testing.TB, root string) driver.StorageDriver { return open(t, srv, root, nil) },
		ChunkSize: 4 << 20,
	}
	faulttest.Run(t, h)
	t.Run("Integrity", func(t *testing.T) { faulttest.Integrity(t, h) })
}
