package conformance

import (
	"github.com/stowage/stowage/driver"
)

func moveCases() []Case {
	return []Case{
		{Name: "Move/Plain", run: func(t TB, h Harness, d driver.StorageDriver, root string) {
			data := randomBytes(h.chunk() + 7)
			mustPut(t, d, "/m/src", data)
			if err := d.Move(t.Context(), "/m/src", "/m/dst"); err != nil {
				t.Fatalf("Move: %v", err)
			}
			expectContent(t, d, "/m/dst", data)
			_, err := d.Stat(t.Context(), "/m/src")
			expectNotFound(t, "Stat(source after Move)", err)
		}},
		{Name: "Move/Overwrite", run: func(t TB, h Harness, d driver.StorageDriver, root string) {
			data := randomBytes(100)
			mustPut(t, d, "/m/src", data)
			mustPut(t, d, "/m/dst", randomBytes(5000))
			if err := d.Move(t.Context(), "/m/src", "/m/dst"); err != nil {
				t.Fatalf("Move: %v", err)
			}
			expectContent(t, d, "/m/dst", data)
		}},
		{Name: "Move/IntoNewNestedDirectory", run: func(t TB, h Harness, d driver.StorageDriver, root string) {
			data := []byte("nested")
			mustPut(t, d, "/m/src", data)
			if err := d.Move(t.Context(), "/m/src", "/n/e/s/t/dst"); err != nil {
				t.Fatalf("Move: %v", err)
			}
			expectContent(t, d, "/n/e/s/t/dst", data)
		}},
		{Name: "Move/MissingSourceLeavesDestination", run: func(t TB, h Harness, d driver.StorageDriver, root string) {
			data := []byte("destination")
			mustPut(t, d, "/m/dst", data)
			err := d.Move(t.Context(), "/m/missing", "/m/dst")
			expectNotFound(t, "Move(missing source)", err)
			expectContent(t, d, "/m/dst", data)
		}},
		{Name: "Move/UnderRegularFile", run: func(t TB, h Harness, d driver.StorageDriver, root string) {
			data := []byte("a regular file")
			mustPut(t, d, "/notadir", data)
			if err := d.Move(t.Context(), "/notadir/foo", "/notadir/bar"); err == nil {
				t.Fatalf("Move(/notadir/foo, /notadir/bar) with /notadir a regular file: no error")
			}
			expectContent(t, d, "/notadir", data)
			_, err := d.Stat(t.Context(), "/notadir/bar")
			expectNotFound(t, "Stat(/notadir/bar) after the failed Move", err)
		}},
		{Name: "Move/CommittedUpload", run: func(t TB, h Harness, d driver.StorageDriver, root string) {
			// What a registry does: write an upload, commit, move to the blob path.
			data := randomBytes(2*h.chunk() + 3)
			writeAll(t, d, "/uploads/u1/data", false, data, true)
			if err := d.Move(t.Context(), "/uploads/u1/data", "/blobs/sha256/ab/abcd/data"); err != nil {
				t.Fatalf("Move: %v", err)
			}
			expectContent(t, d, "/blobs/sha256/ab/abcd/data", data)
		}},
	}
}
