package swift_test

import (
	"testing"

	"github.com/stowage/stowage/conformance/emulator"
	"github.com/stowage/stowage/conformance/faultproxy/faulttest"
	"github.com/stowage/stowage/driver"
)

// TestLoad runs concurrent writers and readers on Swift (8 and 8, 64 and
// 64 with STOWAGE_LOAD=full): every object checked, the peak live heap
// within two segments per writer (the buffer, and the copy a segment PUT
// is checksummed and retried from) plus a constant, no goroutine left
// after driver.Close.
func TestLoad(t *testing.T) {
	c := startCluster(t, emulator.SwiftOptions{})
	faulttest.Load(t, faulttest.LoadHarness{
		Open: func(t testing.TB, root string) driver.StorageDriver {
			return c.open(t, "load", map[string]any{"prefix": root, "chunksize": testChunk})
		},
		ChunkSize: testChunk,
		PerWriter: 2 * testChunk,
	})
}
