package filesystem_test

import (
	"io/fs"
	"path/filepath"
	"slices"

	"github.com/stowage/stowage/conformance"
)

// inspector shows the conformance suite the regular files under a root's
// directory (committed objects and the upload files in ~uploads), by their
// path relative to base, with slashes. The file system has no multipart
// uploads: PartSizes stays nil.
func inspector(base string) *conformance.Inspector {
	return &conformance.Inspector{
		Keys: func(t conformance.TB, root string) []string {
			var keys []string
			err := filepath.WalkDir(filepath.Join(base, root), func(p string, e fs.DirEntry, err error) error {
				if err != nil || e.IsDir() {
					return err
				}
				rel, err := filepath.Rel(base, p)
				keys = append(keys, filepath.ToSlash(rel))
				return err
			})
			if err != nil {
				t.Fatalf("inspector: walk %s: %v", root, err)
			}
			slices.Sort(keys)
			return keys
		},
	}
}
