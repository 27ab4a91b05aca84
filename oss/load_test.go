package oss_test

import (
	"testing"

	"github.com/stowage/stowage/conformance/faultproxy/faulttest"
	"github.com/stowage/stowage/driver"
)

// TestLoad runs concurrent writers and readers on osstest (8 and 8, 64
// and 64 with STOWAGE_LOAD=full): every object checked, the peak live
// heap within chunksize × (maxconcurrency + 1) per writer plus a
// constant, no goroutine left after driver.Close.
func TestLoad(t *testing.T) {
	srv := startServer(t)
	faulttest.Load(t, faulttest.LoadHarness{
		Open:      func(t testing.TB, root string) driver.StorageDriver { return open(t, srv, root, nil) },
		ChunkSize: 5 << 20,
		PerWriter: 5 << 20 * (4 + 1), // maxconcurrency 4 (the default)
		// osstest keeps the objects in this process.
		ServerInProcess: true,
	})
}
