package gcs_test

import (
	"testing"

	"github.com/stowage/stowage/conformance/faultproxy/faulttest"
	"github.com/stowage/stowage/driver"
)

// TestLoad runs concurrent writers and readers on fake-gcs-server (8 and
// 8, 64 and 64 with STOWAGE_LOAD=full): every object checked, the peak
// live heap within two chunks per writer (the resumable upload's buffer
// and the request in flight) plus a constant, no goroutine left after
// driver.Close.
func TestLoad(t *testing.T) {
	srv, _ := startServer(t)
	faulttest.Load(t, faulttest.LoadHarness{
		Open:      func(t testing.TB, root string) driver.StorageDriver { return open(t, srv, root, nil) },
		ChunkSize: 5 << 20,
		PerWriter: 2 * 5 << 20,
	})
}
