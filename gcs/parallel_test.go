package gcs_test

import (
	"bytes"
	"crypto/rand"
	"errors"
	"strings"
	"testing"

	"cloud.google.com/go/storage"
	"google.golang.org/api/iterator"
)

func randBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return b
}

// partKeys lists the part objects of the upload to /f under root.
func partKeys(t *testing.T, c *storage.Client, root string) []string {
	t.Helper()
	var keys []string
	it := c.Bucket(testBucket).Objects(t.Context(), &storage.Query{Prefix: root + "/~uploads/f~part-"})
	for {
		o, err := it.Next()
		if errors.Is(err, iterator.Done) {
			return keys
		}
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, o.Name)
	}
}

// TestParallelParts writes 41 parts in one session, 8 in flight: they are
// stored as the writer goes and composed in two levels at Commit.
func TestParallelParts(t *testing.T) {
	srv, _ := startServer(t)
	d := open(t, srv, "parallel", map[string]any{"chunksize": "256KiB", "uploadconcurrency": 8})
	want := randBytes(40<<18 + 7)
	w, err := d.Writer(t.Context(), "/f", false)
	if err != nil {
		t.Fatal(err)
	}
	for b := want; len(b) > 0; b = b[min(len(b), 100_000):] {
		if _, err := w.Write(b[:min(len(b), 100_000)]); err != nil {
			t.Fatal(err)
		}
	}
	if w.Size() != int64(len(want)) {
		t.Fatalf("Size = %d, want %d", w.Size(), len(want))
	}
	if err := w.Commit(t.Context()); err != nil {
		t.Fatal(err)
	}
	got, err := d.GetContent(t.Context(), "/f")
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("content: %d bytes, %v; want the %d written", len(got), err, len(want))
	}
}

// TestResumeAfterGap resumes an upload whose part 3 is missing and part 4
// stored, as a parallel writer that failed or died with part 3 in flight
// leaves it: the upload resumes after part 2 and part 4 is deleted, so that
// it never joins the object once a later writer stores a part 3.
func TestResumeAfterGap(t *testing.T) {
	srv, client := startServer(t)
	d := open(t, srv, "gap", map[string]any{"chunksize": "256KiB"})
	first := randBytes(2<<18 + 1) // parts 1, 2 and a 1-byte part 3 once closed
	w, err := d.Writer(t.Context(), "/f", false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(first); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	keys := partKeys(t, client, "gap")
	if len(keys) != 3 || !strings.HasSuffix(keys[2], "part-000003") {
		t.Fatalf("parts after Close: %v, want 3", keys)
	}
	// Part 3 lost, part 4 stored.
	if err := client.Bucket(testBucket).Object(keys[2]).Delete(t.Context()); err != nil {
		t.Fatal(err)
	}
	stray := strings.TrimSuffix(keys[2], "3") + "4"
	sw := client.Bucket(testBucket).Object(stray).NewWriter(t.Context())
	_, _ = sw.Write(randBytes(1 << 18))
	if err := sw.Close(); err != nil {
		t.Fatal(err)
	}
	w, err = d.Writer(t.Context(), "/f", true)
	if err != nil {
		t.Fatal(err)
	}
	if w.Size() != 2<<18 {
		t.Fatalf("resumed Size = %d, want %d (parts 1 and 2)", w.Size(), 2<<18)
	}
	if keys := partKeys(t, client, "gap"); len(keys) != 2 {
		t.Fatalf("parts after resuming: %v, want parts 1 and 2 (part 4 deleted)", keys)
	}
	more := randBytes(2<<18 + 9)
	if _, err := w.Write(more); err != nil {
		t.Fatal(err)
	}
	if err := w.Commit(t.Context()); err != nil {
		t.Fatal(err)
	}
	got, err := d.GetContent(t.Context(), "/f")
	if want := append(first[:2<<18:2<<18], more...); err != nil || !bytes.Equal(got, want) {
		t.Fatalf("content: %d bytes, %v; want the %d bytes of parts 1, 2 and the rest", len(got), err, len(want))
	}
}
