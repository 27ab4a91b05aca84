package azure_test

import (
	"os"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob"

	"github.com/stowage/stowage/conformance"
	"github.com/stowage/stowage/conformance/emulator"
	"github.com/stowage/stowage/driver"
)

func harness(srv *emulator.Azurite, client *azblob.Client) conformance.Harness {
	return conformance.Harness{
		Open: func(t conformance.TB, root string) driver.StorageDriver {
			return open(t, srv, root, nil)
		},
		ChunkSize: 4 << 20, // the block size
		LargeSize: largeSize(),
		Inspector: inspector(client),
	}
}

// largeSize is 16 MiB unless STOWAGE_CONFORMANCE_LARGE sets it.
func largeSize() int64 {
	if os.Getenv("STOWAGE_CONFORMANCE_LARGE") != "" {
		return 0
	}
	return 16 << 20
}

func TestConformance(t *testing.T) {
	srv, client := startServer(t, emulator.AzuriteOptions{})
	conformance.Run(t, harness(srv, client))
	// The upload cases with no rootdirectory, in a container of their own:
	// upload state sits at the top of the container, beside the paths.
	t.Run("EmptyRoot", func(t *testing.T) {
		const top = "stowage-top"
		if _, err := client.CreateContainer(t.Context(), top, nil); err != nil {
			t.Fatalf("create container: %v", err)
		}
		h := harness(srv, client)
		h.Open = func(t conformance.TB, _ string) driver.StorageDriver {
			return open(t, srv, "", map[string]any{"container": top})
		}
		h.Select = conformance.UploadCases
		h.Inspector = containerInspector(client, top).At("")
		conformance.Run(t, h)
	})
}

// TestConformanceHTTPS runs the suite against Azurite over HTTPS with a
// self-signed certificate and skipverify.
// The suite's plain HTTP client cannot fetch redirect URLs from a server
// with a self-signed certificate, so redirects are turned off here;
// TestConformance and TestSAS cover them.
func TestConformanceHTTPS(t *testing.T) {
	srv, client := startServer(t, emulator.AzuriteOptions{TLS: true})
	h := harness(srv, client)
	h.Open = func(t conformance.TB, root string) driver.StorageDriver {
		return driver.Wrap(driver.NoRedirect(open(t, srv, root, nil)))
	}
	h.NoRedirect = true
	conformance.Run(t, h)
}
