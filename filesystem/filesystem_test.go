package filesystem_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/stowage/stowage/conformance"
	"github.com/stowage/stowage/driver"
	"github.com/stowage/stowage/filesystem"
)

func BenchmarkFilesystem(b *testing.B) {
	base := b.TempDir()
	conformance.Bench(b, conformance.Harness{
		Open: func(t conformance.TB, root string) driver.StorageDriver {
			d, err := filesystem.New(context.Background(), filesystem.Params{RootDirectory: filepath.Join(base, root), MaxThreads: 100})
			if err != nil {
				t.Fatalf("open: %v", err)
			}
			return d
		},
	})
}
