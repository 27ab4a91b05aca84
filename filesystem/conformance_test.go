package filesystem_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/stowage/stowage/conformance"
	"github.com/stowage/stowage/driver"
	"github.com/stowage/stowage/filesystem"
)

// harness roots every driver in a directory under base.
func harness(base string) conformance.Harness {
	return conformance.Harness{
		Open: func(t conformance.TB, root string) driver.StorageDriver {
			d, err := filesystem.New(context.Background(), filesystem.Params{RootDirectory: filepath.Join(base, root), MaxThreads: 100})
			if err != nil {
				t.Fatalf("open: %v", err)
			}
			return d
		},
		NoRedirect: true,
		Inspector:  inspector(base),
	}
}

func TestConformance(t *testing.T) {
	conformance.Run(t, harness(t.TempDir()))
}
