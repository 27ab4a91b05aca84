package swift_test

import (
	"strings"
	"testing"

	"github.com/stowage/stowage/conformance/emulator"
	"github.com/stowage/stowage/conformance/faultproxy/faulttest"
	"github.com/stowage/stowage/driver"
)

// TestFaults runs the driver through conformance/faultproxy in front of
// OpenStack Swift (see faulttest), auth included: at 20 % faults every
// call succeeds, at 45 % every failure is clear and the upload resumes;
// every committed byte is checked over a clean connection. tempauth builds
// the storage URL from the Host header, which the proxy forwards as it
// received it, so storage requests go through the proxy too.
func TestFaults(t *testing.T) {
	c := startCluster(t, emulator.SwiftOptions{})
	h := faulttest.Harness{
		Target: c.s.ProxyURL,
		Open: func(t testing.TB, proxyURL, root string, opts ...driver.Option) driver.StorageDriver {
			p := map[string]any{"prefix": root, "chunksize": testChunk, "authurl": strings.Replace(c.s.AuthURL, c.s.ProxyURL, proxyURL, 1)}
			return c.openWith(t, "faults", p, opts...)
		},
		Clean: func(t testing.TB, root string) driver.StorageDriver {
			return c.open(t, "faults", map[string]any{"prefix": root, "chunksize": testChunk})
		},
		ChunkSize: testChunk,
	}
	faulttest.Run(t, h)
	t.Run("Integrity", func(t *testing.T) { faulttest.Integrity(t, h) })
}
