package filesystem_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stowage/stowage/driver"
	"github.com/stowage/stowage/filesystem"
)

func open(t *testing.T) (driver.StorageDriver, string) {
	t.Helper()
	root := t.TempDir()
	d, err := filesystem.New(context.Background(), filesystem.Params{RootDirectory: root})
	if err != nil {
		t.Fatal(err)
	}
	return d, root
}

func entries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

// TestUploadsDirGoneAtClose checks that a root holds nothing but its
// objects once the driver that wrote it is closed with no upload left
// (stowage check used to leave an empty ~uploads in every root it made),
// and that Close keeps an upload in progress, which another driver on the
// same root resumes.
func TestUploadsDirGoneAtClose(t *testing.T) {
	ctx := context.Background()
	d, root := open(t)
	if got := entries(t, root); len(got) != 0 {
		t.Fatalf("new root holds %v", got)
	}
	if err := d.PutContent(ctx, "/a", []byte("x")); err != nil {
		t.Fatal(err)
	}
	w, err := d.Writer(ctx, "/b", false)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = w.Write([]byte("abc"))
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := driver.Close(d); err != nil {
		t.Fatal(err)
	}
	if got := fmtList(entries(t, root)); got != "[a ~uploads]" {
		t.Fatalf("root closed with an upload in progress holds %v, want [a ~uploads]", got)
	}
	d, err = filesystem.New(ctx, filesystem.Params{RootDirectory: root})
	if err != nil {
		t.Fatal(err)
	}
	w, err = d.Writer(ctx, "/b", true)
	if err != nil {
		t.Fatal(err)
	}
	if w.Size() != 3 {
		t.Fatalf("resumed upload holds %d bytes, want 3", w.Size())
	}
	if err := w.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if err := driver.Close(d); err != nil {
		t.Fatal(err)
	}
	if got := fmtList(entries(t, root)); got != "[a b]" {
		t.Fatalf("root after the commit and Close holds %v, want [a b]", got)
	}
}

// TestMoveAndDeleteLeaveNoEmptyDirectory checks that, as on an object
// store, a directory emptied by Move or Delete is gone from Stat and Walk.
func TestMoveAndDeleteLeaveNoEmptyDirectory(t *testing.T) {
	ctx := context.Background()
	d, root := open(t)
	for _, p := range []string{"/x/y/z", "/keep/k", "/del/sub/f"} {
		if err := d.PutContent(ctx, p, []byte(p)); err != nil {
			t.Fatal(err)
		}
	}
	if err := d.Move(ctx, "/x/y/z", "/keep/z"); err != nil {
		t.Fatal(err)
	}
	if err := d.Delete(ctx, "/del/sub/f"); err != nil {
		t.Fatal(err)
	}
	var walked []string
	if err := d.Walk(ctx, "/", func(fi driver.FileInfo) error { walked = append(walked, fi.Path()); return nil }); err != nil {
		t.Fatal(err)
	}
	if want := "[/keep /keep/k /keep/z]"; fmtList(walked) != want {
		t.Fatalf("Walk(/) = %v, want %s", walked, want)
	}
	for _, p := range []string{"/x", "/del"} {
		if _, err := d.Stat(ctx, p); !driver.IsNotFound(err) {
			t.Errorf("Stat(%s) after its last file left = %v, want PathNotFoundError", p, err)
		}
	}
	if _, err := os.Stat(filepath.Join(root, "x")); !os.IsNotExist(err) {
		t.Errorf("directory x still on disk: %v", err)
	}
}

func fmtList(s []string) string {
	out := "["
	for i, x := range s {
		if i > 0 {
			out += " "
		}
		out += x
	}
	return out + "]"
}

// TestPurgeUploads checks that abandoned uploads are removed by age, and
// fresh ones kept.
func TestPurgeUploads(t *testing.T) {
	ctx := context.Background()
	d, root := open(t)
	for _, p := range []string{"/old", "/new"} {
		w, err := d.Writer(ctx, p, false)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = w.Write([]byte(p))
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
	}
	old := time.Now().Add(-48 * time.Hour)
	// Age the upload of /old: its file is the one whose content is "/old".
	for _, e := range entries(t, filepath.Join(root, "~uploads")) {
		f := filepath.Join(root, "~uploads", e)
		if b, _ := os.ReadFile(f); string(b) == "/old" {
			if err := os.Chtimes(f, old, old); err != nil {
				t.Fatal(err)
			}
		}
	}
	n, err := driver.PurgeUploads(ctx, d, 24*time.Hour)
	if err != nil || n != 1 {
		t.Fatalf("PurgeUploads(24h) = %d, %v; want 1", n, err)
	}
	if _, err := d.Writer(ctx, "/old", true); !driver.IsNotFound(err) {
		t.Fatalf("purged upload resumed: %v", err)
	}
	w, err := d.Writer(ctx, "/new", true)
	if err != nil || w.Size() != 4 {
		t.Fatalf("fresh upload after purge: %v", err)
	}
	_ = w.Cancel(ctx)
	if n, err := driver.PurgeUploads(ctx, d, 0); err != nil || n != 0 {
		t.Fatalf("PurgeUploads with nothing left = %d, %v", n, err)
	}
}
