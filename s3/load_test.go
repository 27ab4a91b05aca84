package s3

import (
	"testing"

	"github.com/stowage/stowage/conformance/faultproxy/faulttest"
	"github.com/stowage/stowage/driver"
)

// TestLoad runs concurrent writers and readers on MinIO (8 and 8, 64 and
// 64 with STOWAGE_LOAD=full): every object checked, the peak live heap
// within chunksize × (maxconcurrency + 1) per writer plus a constant, no
// goroutine left after driver.Close.
func TestLoad(t *testing.T) {
	s := startServer(t)
	faulttest.Load(t, faulttest.LoadHarness{
		Open:      func(t testing.TB, root string) driver.StorageDriver { return driver.Wrap(open(t, s.params(root))) },
		ChunkSize: 5 << 20,
		PerWriter: 5 << 20 * (4 + 1), // maxconcurrency 4 (the default)
	})
}
