package gcs_test

import (
	"os"
	"testing"

	"github.com/stowage/stowage/conformance"
	"github.com/stowage/stowage/driver"
)

func TestConformance(t *testing.T) {
	srv, client := startServer(t)
	conformance.Run(t, conformance.Harness{
		Open: func(t conformance.TB, root string) driver.StorageDriver {
			return open(t, srv, root, nil)
		},
		ChunkSize:  5 << 20,
		LargeSize:  largeSize(),
		NoRedirect: true, // anonymous: no key to sign URLs with
		Inspector:  inspector(client),
	})
	// The upload cases with no rootdirectory, in a bucket of their own:
	// upload state sits at the top of the bucket, beside the paths.
	t.Run("EmptyRoot", func(t *testing.T) {
		const top = "stowage-top"
		if err := client.Bucket(top).Create(t.Context(), "test", nil); err != nil {
			t.Fatalf("create bucket: %v", err)
		}
		conformance.Run(t, conformance.Harness{
			Open: func(t conformance.TB, _ string) driver.StorageDriver {
				return open(t, srv, "", map[string]any{"bucket": top})
			},
			ChunkSize:  5 << 20,
			NoRedirect: true,
			Select:     conformance.UploadCases,
			Inspector:  bucketInspector(client, top).At(""),
		})
	})
}

// TestConformanceSigned runs the suite with a service account key, so that
// RedirectURL returns V4 signed URLs. fake-gcs-server serves them without
// checking the signature; TestSignedURL checks the signature itself.
func TestConformanceSigned(t *testing.T) {
	srv, client := startServer(t)
	creds := serviceAccountJSON(t, tokenServer(t))
	conformance.Run(t, conformance.Harness{
		Open: func(t conformance.TB, root string) driver.StorageDriver {
			return open(t, srv, root, map[string]any{"credentials": creds})
		},
		ChunkSize: 5 << 20,
		LargeSize: largeSize(),
		Inspector: inspector(client),
	})
}

// largeSize is 16 MiB unless STOWAGE_CONFORMANCE_LARGE sets it.
func largeSize() int64 {
	if os.Getenv("STOWAGE_CONFORMANCE_LARGE") != "" {
		return 0
	}
	return 16 << 20
}
