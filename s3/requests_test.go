package s3

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stowage/stowage/conformance/emulator"
	"github.com/stowage/stowage/driver"
	"github.com/stowage/stowage/internal/reqlog"
)

// describe names each request the way the S3 API does, in the order sent,
// for the tests below: "HeadObject", "CopyObject(if-match)", ...
func describe(reqs []*http.Request) string { return strings.Join(names(reqs), ", ") }

// describeSorted is describe in the order of the names, for requests sent
// concurrently.
func describeSorted(reqs []*http.Request) string {
	n := names(reqs)
	slices.Sort(n)
	return strings.Join(n, ", ")
}

func names(reqs []*http.Request) []string {
	var out []string
	for _, r := range reqs {
		q := r.URL.Query()
		var name string
		switch {
		case r.Method == http.MethodHead:
			name = "HeadObject"
		case r.Method == http.MethodGet && q.Has("uploads"):
			name = "ListMultipartUploads"
		case r.Method == http.MethodGet && q.Get("list-type") == "2":
			name = "ListObjectsV2"
		case r.Method == http.MethodGet:
			name = "GetObject"
		case r.Method == http.MethodPost && q.Has("uploads"):
			name = "CreateMultipartUpload"
		case r.Method == http.MethodPost && q.Has("uploadId"):
			name = "CompleteMultipartUpload"
		case r.Method == http.MethodPost && q.Has("delete"):
			name = "DeleteObjects"
		case r.Method == http.MethodPut && q.Has("partNumber"):
			name = "UploadPart"
		case r.Method == http.MethodPut && r.Header.Get("X-Amz-Copy-Source") != "":
			name = "CopyObject"
			if r.Header.Get("X-Amz-Copy-Source-If-Match") != "" {
				name += "(if-match)"
			}
		case r.Method == http.MethodPut:
			name = "PutObject"
		case r.Method == http.MethodDelete && q.Has("uploadId"):
			name = "AbortMultipartUpload"
		case r.Method == http.MethodDelete:
			name = "DeleteObject"
		default:
			name = r.Method + " " + r.URL.RawQuery
		}
		out = append(out, name)
	}
	return out
}

// testUploadRequests checks what a new writer costs at the wire: one
// PutObject for what fits in a part (a part exactly included);
// CreateMultipartUpload, the parts and CompleteMultipartUpload for more;
// beside them one GetObject, of the state an older upload closed at the
// path would have left (it runs alongside, not before). No listing, no
// lookup of the assembled object, no delete of state the writer never
// stored.
func testUploadRequests(t *testing.T, s *server) {
	rec, hc := newRecorder()
	d := driver.Wrap(open(t, with(s.params(newRoot(t)), "chunksize", "5MiB", "maxconcurrency", 1), WithHTTPClient(hc)))
	for _, c := range []struct {
		size int
		want string
	}{
		{1 << 10, "GetObject, PutObject"},
		{5 << 20, "GetObject, PutObject"},
		{12<<20 + 7, "CompleteMultipartUpload, CreateMultipartUpload, GetObject, UploadPart, UploadPart, UploadPart"},
	} {
		before := len(rec.requests())
		write(t, d, "/blob", false, randomBytes(c.size), true)
		if got := describeSorted(rec.requests()[before:]); got != c.want {
			t.Errorf("new writer of %d bytes: requests %q, want %q", c.size, got, c.want)
		}
	}
}

// testMoveSeen checks that a Move of what the driver has just stored or
// looked up is one conditional CopyObject and a DeleteObject, and that the
// condition keeps it right when another client replaced or deleted the
// source in between.
func testMoveSeen(t *testing.T, s *server) {
	root := newRoot(t)
	rec, hc := newRecorder()
	d := driver.Wrap(open(t, s.params(root), WithHTTPClient(hc)))
	other := driver.Wrap(open(t, s.params(root), WithHTTPClient(s.m.HTTPClient())))

	data := randomBytes(1 << 20)
	if err := d.PutContent(ctx(t), "/a", data); err != nil {
		t.Fatal(err)
	}
	before := len(rec.requests())
	if err := d.Move(ctx(t), "/a", "/b"); err != nil {
		t.Fatal(err)
	}
	if got, want := describe(rec.requests()[before:]), "CopyObject(if-match), DeleteObject"; got != want {
		t.Errorf("Move of an object just stored: requests %q, want %q", got, want)
	}
	mustContent(t, d, "/b", data)
	// What the copy stored is remembered too: moving it on is as cheap.
	before = len(rec.requests())
	if err := d.Move(ctx(t), "/b", "/c"); err != nil {
		t.Fatal(err)
	}
	if got, want := describe(rec.requests()[before:]), "CopyObject(if-match), DeleteObject"; got != want {
		t.Errorf("Move of a moved object: requests %q, want %q", got, want)
	}

	// Replaced by another client: the conditional copy fails, the Move
	// looks the object up and moves what is there now.
	if _, err := d.Stat(ctx(t), "/c"); err != nil {
		t.Fatal(err)
	}
	newer := randomBytes(3 << 20)
	if err := other.PutContent(ctx(t), "/c", newer); err != nil {
		t.Fatal(err)
	}
	if err := d.Move(ctx(t), "/c", "/d"); err != nil {
		t.Fatalf("Move of an object replaced since it was seen: %v", err)
	}
	mustContent(t, d, "/d", newer)

	// Deleted by another client: PathNotFoundError, and nothing at the
	// destination.
	if err := d.PutContent(ctx(t), "/e", data); err != nil {
		t.Fatal(err)
	}
	if err := other.Delete(ctx(t), "/e"); err != nil {
		t.Fatal(err)
	}
	if err := d.Move(ctx(t), "/e", "/f"); !errors.As(err, new(driver.PathNotFoundError)) {
		t.Fatalf("Move of an object deleted since it was seen: %v, want PathNotFoundError", err)
	}
	if _, err := d.Stat(ctx(t), "/f"); !errors.As(err, new(driver.PathNotFoundError)) {
		t.Fatalf("destination after a failed Move: %v, want PathNotFoundError", err)
	}
}

// holdCreate holds every CreateMultipartUpload until release is closed,
// or, as a watchdog for a writer that waits for it, a minute has passed.
type holdCreate struct {
	next    http.RoundTripper
	seen    chan struct{} // closed at the first CreateMultipartUpload
	release chan struct{}
	once    sync.Once
	expired atomic.Bool
}

func (h *holdCreate) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Method == http.MethodPost && r.URL.Query().Has("uploads") {
		h.once.Do(func() { close(h.seen) })
		select {
		case <-h.release:
		case <-time.After(time.Minute):
			h.expired.Store(true)
		}
	}
	return h.next.RoundTrip(r)
}

// testWriteDuringCreate checks that a writer goes on taking bytes while
// the store starts its multipart upload (a registry's PATCH body is not
// held for a round trip), and that a Cancel while the start is in flight
// aborts the upload it starts.
func testWriteDuringCreate(t *testing.T, s *server) {
	for _, cancel := range []bool{false, true} {
		h := &holdCreate{next: emulator.LocalhostTransport(), seen: make(chan struct{}), release: make(chan struct{})}
		raw := open(t, with(s.params(newRoot(t)), "chunksize", "5MiB", "maxconcurrency", 2), WithHTTPClient(&http.Client{Transport: h}))
		d := driver.Wrap(raw)
		w, err := d.Writer(ctx(t), "/blob", false)
		if err != nil {
			t.Fatal(err)
		}
		data := randomBytes(10<<20 + 2)
		// A part and a byte, then another: two parts dispatched.
		for _, b := range [][]byte{data[:5<<20+1], data[5<<20+1:]} {
			if _, err := w.Write(b); err != nil {
				t.Fatalf("Write: %v", err)
			}
		}
		<-h.seen
		if h.expired.Load() {
			t.Fatal("Write waited for CreateMultipartUpload to return before taking more bytes")
		}
		close(h.release)
		if cancel {
			if err := w.Cancel(ctx(t)); err != nil {
				t.Fatalf("Cancel: %v", err)
			}
			if ups := uploadsOf(t, raw, raw.key("/blob")); len(ups) != 0 {
				t.Errorf("Cancel during the start of the upload left %d multipart uploads", len(ups))
			}
			if _, err := d.Stat(ctx(t), "/blob"); !errors.As(err, new(driver.PathNotFoundError)) {
				t.Errorf("Stat after Cancel: %v, want PathNotFoundError", err)
			}
			continue
		}
		if err := w.Commit(ctx(t)); err != nil {
			t.Fatalf("Commit: %v", err)
		}
		mustContent(t, d, "/blob", data)
	}
}

// testCancelWaitsForPart: a part in flight when the writer's context ends
// is waited for, not abandoned, so that Cancel aborts the upload once the
// part is stored: a part that lands after the abort stays stored (S3
// documents that an abort may have to be repeated for that reason). The
// part is held at the transport, received whole; if the client gives up
// on it, it is sent late (hold.Land), as the store would store it.
func testCancelWaitsForPart(t *testing.T, s *server) {
	rec, _ := newRecorder()
	hold := reqlog.NewHold(func(r *http.Request) bool {
		return r.Method == http.MethodPut && r.URL.Query().Has("partNumber")
	}, rec)
	raw := open(t, with(s.params(newRoot(t)), "chunksize", "5MiB"), WithHTTPClient(&http.Client{Transport: hold}))
	d := driver.Wrap(raw)
	wctx, cancel := context.WithCancel(ctx(t))
	w, err := d.Writer(wctx, "/blob", false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(randomBytes(5<<20 + 1)); err != nil { // part 1 goes
		t.Fatal(err)
	}
	<-hold.Got() // the store has part 1 whole
	cancel()
	hold.Release()
	if err := w.Cancel(ctx(t)); err != nil {
		t.Fatalf("Cancel: %v", err)
	}
	hold.Land()
	sent := names(rec.requests())
	abort := slices.Index(sent, "AbortMultipartUpload")
	if abort < 0 || slices.Contains(sent[abort:], "UploadPart") {
		t.Fatalf("requests %v: want the part stored before the upload is aborted", sent)
	}
	if ups := uploadsOf(t, raw, raw.key("/blob")); len(ups) != 0 {
		t.Errorf("Cancel left %d multipart uploads", len(ups))
	}
}
