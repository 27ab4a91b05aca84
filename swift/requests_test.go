package swift_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	ncw "github.com/ncw/swift/v2"

	"github.com/stowage/stowage/driver"
	"github.com/stowage/stowage/internal/reqlog"
)

// requestName names a request to container "METHOD object" (the object
// name under the container, "" for the container itself), and leaves out
// the others (authentication).
func requestName(container string) func(*http.Request) string {
	return func(r *http.Request) string {
		p, _ := url.PathUnescape(r.URL.EscapedPath())
		i := strings.Index(p, "/"+container)
		if i < 0 {
			return ""
		}
		return r.Method + " " + strings.TrimPrefix(p[i+1+len(container):], "/")
	}
}

// testMoveRequests checks what a registry's blob commit costs — Stat of
// the digest's path (not found), Stat of the upload, Move — and that a
// Move whose source or destination the driver has not just seen still
// looks them up, so that a large object it replaces loses its segments.
func testMoveRequests(t *testing.T, c cluster, conn *ncw.Connection) {
	ctx := t.Context()
	const container = "moverequests"
	log := &reqlog.Log{Name: requestName(container)}
	d := c.openWith(t, container, map[string]any{"chunksize": "1MiB"}, driver.WithHTTPClient(&http.Client{Transport: log}))
	segments := func() []string {
		t.Helper()
		names, err := conn.ObjectNamesAll(ctx, container, &ncw.ObjectsOpts{Prefix: "~segments/"})
		if err != nil {
			t.Fatal(err)
		}
		return names
	}

	w, err := d.Writer(ctx, "/uploads/u1/data", false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write([]byte("a small blob")); err != nil {
		t.Fatal(err)
	}
	if err := w.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Stat(ctx, "/blobs/ab/data"); !driver.IsNotFound(err) {
		t.Fatalf("Stat(blob path) = %v, want not found", err)
	}
	if _, err := d.Stat(ctx, "/uploads/u1/data"); err != nil {
		t.Fatal(err)
	}
	log.Take()
	if err := d.Move(ctx, "/uploads/u1/data", "/blobs/ab/data"); err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(log.Take(), ", "), "COPY uploads/u1/data, DELETE uploads/u1/data"; got != want {
		t.Errorf("the Move of a registry's commit sent %s, want %s", got, want)
	}
	if b, err := d.GetContent(ctx, "/blobs/ab/data"); err != nil || string(b) != "a small blob" {
		t.Fatalf("blob after Move = %q, %v", b, err)
	}

	// A destination Stat found empty, then filled with a large object by
	// this driver: the Move looks it up again and deletes its segments.
	if _, err := d.Stat(ctx, "/big"); !driver.IsNotFound(err) {
		t.Fatalf("Stat(/big) = %v, want not found", err)
	}
	w, _ = d.Writer(ctx, "/big", false)
	if _, err := w.Write(randBytes(3 << 20)); err != nil {
		t.Fatal(err)
	}
	if err := w.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if len(segments()) != 3 {
		t.Fatalf("segments of /big: %v", segments())
	}
	if err := d.PutContent(ctx, "/small", []byte("small")); err != nil {
		t.Fatal(err)
	}
	log.Take()
	if err := d.Move(ctx, "/small", "/big"); err != nil {
		t.Fatal(err)
	}
	if got := log.Take(); len(got) < 4 || !slices.Contains(got[:2], "HEAD big") {
		t.Errorf("the Move onto a large object stored since the Stat sent %v, want the lookups first", got)
	}
	if b, _ := d.GetContent(ctx, "/big"); string(b) != "small" {
		t.Fatalf("/big after Move = %d bytes", len(b))
	}
	if s := segments(); len(s) != 0 {
		t.Fatalf("segments left after the Move: %v", s)
	}
}
