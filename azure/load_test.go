package azure_test

import (
	"testing"

	"github.com/stowage/stowage/conformance/emulator"
	"github.com/stowage/stowage/conformance/faultproxy/faulttest"
	"github.com/stowage/stowage/driver"
)

// TestLoad runs concurrent writers and readers on Azurite (8 and 8, 64
// and 64 with STOWAGE_LOAD=full): every object checked, the peak live
// heap within two blocks per writer (the one being filled and the one
// being staged) plus a constant, no goroutine left after driver.Close.
func TestLoad(t *testing.T) {
	srv, _ := startServer(t, emulator.AzuriteOptions{})
	faulttest.Load(t, faulttest.LoadHarness{
		Open:      func(t testing.TB, root string) driver.StorageDriver { return open(t, srv, root, nil) },
		ChunkSize: 4 << 20,
		PerWriter: 2 * 4 << 20,
	})
}
