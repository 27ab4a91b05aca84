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
		// A registry's blob commit: Stat of the digest's path (not found),
		// Stat of the upload, Move. What a driver remembers of those Stats
		// must not outlive a change made by another instance in between.
		{Name: "Move/SourceReplacedAfterStat", run: func(t TB, h Harness, d driver.StorageDriver, root string) {
			ctx := t.Context()
			statsBeforeMove(t, d, []byte("first"))
			mustPut(t, h.Open(t, root), "/m/src", []byte("second, by another instance"))
			if err := d.Move(ctx, "/m/src", "/m/dst"); err != nil {
				t.Fatalf("Move: %v", err)
			}
			expectContent(t, d, "/m/dst", []byte("second, by another instance"))
			_, err := d.Stat(ctx, "/m/src")
			expectNotFound(t, "Stat(source after Move)", err)
		}},
		{Name: "Move/DestinationFilledAfterStat", run: func(t TB, h Harness, d driver.StorageDriver, root string) {
			ctx := t.Context()
			statsBeforeMove(t, d, []byte("source"))
			mustPut(t, h.Open(t, root), "/m/dst", []byte("put by another instance"))
			if err := d.Move(ctx, "/m/src", "/m/dst"); err != nil {
				t.Fatalf("Move: %v", err)
			}
			expectContent(t, d, "/m/dst", []byte("source"))
			_, err := d.Stat(ctx, "/m/src")
			expectNotFound(t, "Stat(source after Move)", err)
		}},
		{Name: "Move/SourceDeletedAfterStat", run: func(t TB, h Harness, d driver.StorageDriver, root string) {
			ctx := t.Context()
			statsBeforeMove(t, d, []byte("source"))
			if err := h.Open(t, root).Delete(ctx, "/m/src"); err != nil {
				t.Fatalf("Delete(/m/src) by another instance: %v", err)
			}
			expectNotFound(t, "Move(source deleted by another instance)", d.Move(ctx, "/m/src", "/m/dst"))
			_, err := d.Stat(ctx, "/m/dst")
			expectNotFound(t, "Stat(/m/dst) after the failed Move", err)
		}},
	}
}

// statsBeforeMove stores content at /m/src and makes the Stats of a
// registry's blob commit: /m/dst (not found), then /m/src.
func statsBeforeMove(t TB, d driver.StorageDriver, content []byte) {
	t.Helper()
	mustPut(t, d, "/m/src", content)
	_, err := d.Stat(t.Context(), "/m/dst")
	expectNotFound(t, "Stat(/m/dst)", err)
	if _, err := d.Stat(t.Context(), "/m/src"); err != nil {
		t.Fatalf("Stat(/m/src): %v", err)
	}
}
