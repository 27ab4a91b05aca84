package swift_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	ncw "github.com/ncw/swift/v2"

	"github.com/stowage/stowage/configmap"
	"github.com/stowage/stowage/conformance/emulator"
	"github.com/stowage/stowage/driver"
	"github.com/stowage/stowage/swift"
)

func randBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return b
}

func rawConn(t *testing.T, c cluster) *ncw.Connection {
	t.Helper()
	conn := &ncw.Connection{UserName: c.s.User, ApiKey: c.s.Key, AuthUrl: c.s.AuthURL}
	if err := conn.Authenticate(t.Context()); err != nil {
		t.Fatalf("authenticate: %v", err)
	}
	return conn
}

// TestSwift covers what the conformance suite cannot see: where upload
// state lives, resuming from a second instance, segments going away with
// their object, temporary URLs fetched by a plain HTTP client, and errors.
func TestSwift(t *testing.T) {
	c := startCluster(t, emulator.SwiftOptions{})
	conn := rawConn(t, c)

	t.Run("ResumeAcrossInstances", func(t *testing.T) { testResume(t, c, conn, true) })
	t.Run("WriterEdges", func(t *testing.T) { testWriterEdges(t, c, conn) })
	t.Run("ResumeAfterGap", func(t *testing.T) { testResumeAfterGap(t, c, conn) })
	t.Run("LegacyLayout", func(t *testing.T) { testLegacyLayout(t, c, conn) })
	t.Run("MoveRequests", func(t *testing.T) { testMoveRequests(t, c, conn) })
	t.Run("Tree", func(t *testing.T) { testTree(t, c.open(t, "tree", map[string]any{"prefix": "p"})) })
	t.Run("RedirectURL", func(t *testing.T) {
		ctx := t.Context()
		content := randBytes(3<<20 + 5) // a large object: segments are fetched too
		for _, tc := range []struct {
			name  string
			extra map[string]any
		}{
			{"AccountKey", map[string]any{"secretkey": "account-key", "chunksize": "1MiB"}},
			{"ContainerKey", map[string]any{"secretkey": "container-key", "tempurlcontainerkey": true, "chunksize": "1MiB"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				d := c.open(t, "redirect-"+strings.ToLower(tc.name), tc.extra)
				w, _ := d.Writer(ctx, "/obj", false)
				_, _ = w.Write(content)
				if err := w.Commit(ctx); err != nil {
					t.Fatal(err)
				}
				for _, method := range []string{http.MethodGet, http.MethodHead} {
					r, _ := http.NewRequestWithContext(ctx, method, "http://registry/v2/x", nil)
					u, err := d.RedirectURL(r, "/obj")
					if err != nil || u == "" {
						t.Fatalf("RedirectURL(%s) = %q, %v", method, u, err)
					}
					req, _ := http.NewRequestWithContext(ctx, method, u, nil)
					resp, err := http.DefaultClient.Do(req)
					if err != nil {
						t.Fatal(err)
					}
					body, _ := io.ReadAll(resp.Body)
					resp.Body.Close()
					if resp.StatusCode != http.StatusOK || resp.ContentLength != int64(len(content)) {
						t.Fatalf("%s %s: %s, length %d", method, u, resp.Status, resp.ContentLength)
					}
					if method == http.MethodGet && !bytes.Equal(body, content) {
						t.Fatalf("GET through the temporary URL: %d bytes differ", len(body))
					}
				}
			})
		}
		t.Run("NoKey", func(t *testing.T) {
			d := c.open(t, "redirect-nokey", nil)
			r, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://registry/", nil)
			if u, err := d.RedirectURL(r, "/obj"); u != "" || err != nil {
				t.Fatalf("RedirectURL without a key = %q, %v", u, err)
			}
		})
		t.Run("MethodNotListed", func(t *testing.T) {
			d := c.open(t, "redirect-nokey", map[string]any{"secretkey": "account-key", "tempurlmethods": "GET"})
			r, _ := http.NewRequestWithContext(ctx, http.MethodPut, "http://registry/", nil)
			if u, err := d.RedirectURL(r, "/obj"); u != "" || err != nil {
				t.Fatalf("RedirectURL(PUT) = %q, %v", u, err)
			}
		})
	})

	t.Run("WrongPassword", func(t *testing.T) {
		var p swift.Params
		params := c.params("x", map[string]any{"password": "wrong"})
		if err := configmap.Decode(params, &p); err != nil {
			t.Fatal(err)
		}
		_, err := swift.New(context.Background(), p)
		if err == nil || driver.IsNotFound(err) || !errors.Is(err, ncw.AuthorizationFailed) {
			t.Fatalf("wrong password: got %v, want an authorization failure", err)
		}
		if strings.Contains(err.Error(), "wrong") {
			t.Fatalf("error shows the password: %v", err)
		}
	})

	t.Run("Preflight", func(t *testing.T) {
		for _, extra := range []map[string]any{nil, {"secretkey": "account-key", "prefix": "p"}} {
			d := c.open(t, "preflight", extra)
			p, ok := driver.As[driver.Preflighter](d)
			if !ok {
				t.Fatal("no Preflighter")
			}
			res := p.Preflight(t.Context())
			if len(res) < 6 {
				t.Fatalf("Preflight checked only %v", res)
			}
			for _, r := range res {
				if r.Err != nil {
					t.Errorf("Preflight %s: %v", r.Action, r.Err)
				}
			}
		}
	})

	t.Run("AuthVersion1Explicit", func(t *testing.T) {
		d := c.open(t, "v1", map[string]any{"authversion": 1})
		if err := d.PutContent(t.Context(), "/a", []byte("x")); err != nil {
			t.Fatal(err)
		}
	})
}

// TestPurgeUploads checks that abandoned uploads go and committed objects
// stay.
func TestPurgeUploads(t *testing.T) {
	c := startCluster(t, emulator.SwiftOptions{})
	ctx := t.Context()
	d := c.open(t, "purge", map[string]any{"chunksize": "1MiB"})
	w, _ := d.Writer(ctx, "/kept", false)
	_, _ = w.Write(randBytes(2<<20 + 1))
	if err := w.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	w, _ = d.Writer(ctx, "/abandoned", false)
	_, _ = w.Write(randBytes(2<<20 + 1))
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if n, err := driver.PurgeUploads(ctx, d, time.Hour); err != nil || n != 0 {
		t.Fatalf("PurgeUploads(1h) = %d, %v; want 0", n, err)
	}
	if n, err := driver.PurgeUploads(ctx, d, -time.Minute); err != nil || n != 1 {
		t.Fatalf("PurgeUploads(now) = %d, %v; want 1", n, err)
	}
	if _, err := d.Writer(ctx, "/abandoned", true); !driver.IsNotFound(err) {
		t.Fatalf("resume after purge: %v", err)
	}
	if got, err := d.GetContent(ctx, "/kept"); err != nil || len(got) != 2<<20+1 {
		t.Fatalf("committed object after purge: %d bytes, %v", len(got), err)
	}
}

func testResume(t *testing.T, c cluster, conn *ncw.Connection, slo bool) {
	ctx := t.Context()
	extra := map[string]any{"prefix": "resume", "chunksize": "1MiB"}
	d1 := c.open(t, "resume", extra)
	part1, part2 := randBytes(1<<20+123), randBytes(2<<20+7)
	w, err := d1.Writer(ctx, "/blob", false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(part1); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	// Nothing visible, state hidden from List and Walk.
	if _, err := d1.Stat(ctx, "/blob"); !driver.IsNotFound(err) {
		t.Fatalf("Stat before commit: %v", err)
	}
	if l, err := d1.List(ctx, "/"); err != nil || len(l) != 0 {
		t.Fatalf("List / before commit: %v %v", l, err)
	}
	d2 := c.open(t, "resume", extra)
	w2, err := d2.Writer(ctx, "/blob", true)
	if err != nil {
		t.Fatal(err)
	}
	if w2.Size() != int64(len(part1)) {
		t.Fatalf("resumed Size = %d, want %d", w2.Size(), len(part1))
	}
	if _, err := w2.Write(part2); err != nil {
		t.Fatal(err)
	}
	if err := w2.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	got, err := d1.GetContent(ctx, "/blob")
	if err != nil || !bytes.Equal(got, append(append([]byte{}, part1...), part2...)) {
		t.Fatalf("content after resume: %d bytes, %v", len(got), err)
	}
	_, h, err := conn.Object(ctx, "resume", "resume/blob")
	if slo && (err != nil || h["X-Static-Large-Object"] != "True") {
		t.Fatalf("committed object is not an SLO: %v %v", h, err)
	}
	if !slo && (err != nil || h["X-Object-Manifest"] == "") {
		t.Fatalf("committed object is not a DLO: %v %v", h, err)
	}
	segs, err := conn.ObjectNamesAll(ctx, "resume", &ncw.ObjectsOpts{Prefix: "resume/~"})
	if err != nil || len(segs) != 5 || strings.Contains(strings.Join(segs, " "), "~uploads/") {
		t.Fatalf("hidden objects after commit: %v %v (want 5 segments, no marker)", segs, err)
	}
	// Append to the committed large object, then move it.
	w3, err := d2.Writer(ctx, "/blob", true)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w3.Write([]byte("tail")); err != nil {
		t.Fatal(err)
	}
	if err := w3.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if err := d2.Move(ctx, "/blob", "/moved/blob"); err != nil {
		t.Fatal(err)
	}
	got, _ = d1.GetContent(ctx, "/moved/blob")
	if len(got) != len(part1)+len(part2)+4 || string(got[len(got)-4:]) != "tail" {
		t.Fatalf("moved content: %d bytes", len(got))
	}
	// Delete takes the segments with it.
	if err := d1.Delete(ctx, "/moved"); err != nil {
		t.Fatal(err)
	}
	segs, err = conn.ObjectNamesAll(ctx, "resume", &ncw.ObjectsOpts{Prefix: "resume/~"})
	if err != nil || len(segs) != 0 {
		t.Fatalf("segments left after delete: %v %v", segs, err)
	}
}

// testResumeAfterGap checks what resuming finds after a writer failed or
// died with segments in flight: segment 3 never stored, segment 4 stored.
// The upload resumes after segment 2 and segment 4 is deleted, so that it
// never joins the object once a later writer stores a segment 3.
func testResumeAfterGap(t *testing.T, c cluster, conn *ncw.Connection) {
	ctx := t.Context()
	d := c.open(t, "gap", map[string]any{"chunksize": "1MiB", "maxconcurrency": 3})
	first := randBytes(2 << 20)
	w, err := d.Writer(ctx, "/blob", false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(first); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	segs, err := conn.ObjectNamesAll(ctx, "gap", &ncw.ObjectsOpts{Prefix: "~segments/blob~"})
	if err != nil || len(segs) != 2 || !strings.HasSuffix(segs[1], "/00000002") {
		t.Fatalf("segments after Close: %v %v, want 2 ending in 00000002", segs, err)
	}
	stray := strings.TrimSuffix(segs[1], "00000002") + "00000004"
	if err := conn.ObjectPutBytes(ctx, "gap", stray, randBytes(1<<20), ""); err != nil {
		t.Fatal(err)
	}
	w, err = d.Writer(ctx, "/blob", true)
	if err != nil {
		t.Fatal(err)
	}
	if w.Size() != int64(len(first)) {
		t.Fatalf("resumed Size = %d, want %d (segments 1 and 2)", w.Size(), len(first))
	}
	if _, _, err := conn.Object(ctx, "gap", stray); !errors.Is(err, ncw.ObjectNotFound) {
		t.Fatalf("segment after the gap: %v, want it deleted", err)
	}
	more := randBytes(2<<20 + 9) // segments 3 and 4 again, and a 5th
	if _, err := w.Write(more); err != nil {
		t.Fatal(err)
	}
	if err := w.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	got, err := d.GetContent(ctx, "/blob")
	if want := append(first, more...); err != nil || !bytes.Equal(got, want) {
		t.Fatalf("content: %d bytes, %v; want the %d bytes written", len(got), err, len(want))
	}
}

// TestSwiftDLO checks large objects on a cluster without slo and bulk
// delete: DLO manifests, per-object deletes.
func TestSwiftDLO(t *testing.T) {
	c := startCluster(t, emulator.SwiftOptions{NoSLO: true, NoBulk: true})
	conn := rawConn(t, c)
	testResume(t, c, conn, false)
}

// testTree checks List, Stat, Walk, Move and Delete on a small tree with
// path-prefixed siblings.
func testTree(t *testing.T, d driver.StorageDriver) {
	ctx := t.Context()
	for _, p := range []string{"/a/b/c", "/a/b/d", "/a-x", "/ab", "/a.z", "/a/e"} {
		if err := d.PutContent(ctx, p, []byte(p)); err != nil {
			t.Fatal(err)
		}
	}
	expect := func(what string, got []string, err error, want ...string) {
		t.Helper()
		if err != nil || strings.Join(got, " ") != strings.Join(want, " ") {
			t.Fatalf("%s = %v, %v; want %v", what, got, err, want)
		}
	}
	l, err := d.List(ctx, "/")
	expect("List /", l, err, "/a", "/a-x", "/a.z", "/ab")
	l, err = d.List(ctx, "/a")
	expect("List /a", l, err, "/a/b", "/a/e")
	if _, err := d.List(ctx, "/nope"); !driver.IsNotFound(err) {
		t.Fatalf("List missing: %v", err)
	}
	if fi, err := d.Stat(ctx, "/a/b"); err != nil || !fi.IsDir() {
		t.Fatalf("Stat dir: %v %v", fi, err)
	}
	if fi, err := d.Stat(ctx, "/a/b/c"); err != nil || fi.IsDir() || fi.Size() != 6 {
		t.Fatalf("Stat file: %v %v", fi, err)
	}
	var walked []string
	err = d.Walk(ctx, "/", func(fi driver.FileInfo) error { walked = append(walked, fi.Path()); return nil })
	expect("Walk /", walked, err, "/a", "/a-x", "/a.z", "/a/b", "/a/b/c", "/a/b/d", "/a/e", "/ab")
	walked = nil
	err = d.Walk(ctx, "/", func(fi driver.FileInfo) error { walked = append(walked, fi.Path()); return nil }, driver.WithStartAfterHint("/a/b/c"))
	expect("Walk / after /a/b/c", walked, err, "/a/b/d", "/a/e", "/ab")
	if err := d.Move(ctx, "/nope", "/ab"); !driver.IsNotFound(err) {
		t.Fatalf("Move missing: %v", err)
	}
	if b, _ := d.GetContent(ctx, "/ab"); string(b) != "/ab" {
		t.Fatalf("dest changed by failed move: %q", b)
	}
	if err := d.Move(ctx, "/a-x", "/ab"); err != nil {
		t.Fatal(err)
	}
	if b, _ := d.GetContent(ctx, "/ab"); string(b) != "/a-x" {
		t.Fatalf("dest after move: %q", b)
	}
	if err := d.Delete(ctx, "/a"); err != nil {
		t.Fatal(err)
	}
	l, err = d.List(ctx, "/")
	expect("List / after Delete /a", l, err, "/a.z", "/ab")
	if err := d.Delete(ctx, "/a"); !driver.IsNotFound(err) {
		t.Fatalf("Delete missing: %v", err)
	}
}

func testWriterEdges(t *testing.T, c cluster, conn *ncw.Connection) {
	ctx := t.Context()
	d := c.open(t, "edges", map[string]any{"chunksize": "1MiB"})
	hidden := func() []string {
		t.Helper()
		names, err := conn.ObjectNamesAll(ctx, "edges", &ncw.ObjectsOpts{Prefix: "~"})
		if err != nil {
			t.Fatal(err)
		}
		return names
	}
	appendTo := func(path string, wantSize int64, data string) {
		t.Helper()
		w, err := d.Writer(ctx, path, true)
		if err != nil {
			t.Fatalf("Writer(%s, true): %v", path, err)
		}
		if w.Size() != wantSize {
			t.Fatalf("Writer(%s, true).Size() = %d, want %d", path, w.Size(), wantSize)
		}
		if _, err := w.Write([]byte(data)); err != nil {
			t.Fatal(err)
		}
		if err := w.Commit(ctx); err != nil {
			t.Fatal(err)
		}
	}
	// Append to a committed empty object and to a committed small one.
	if err := d.PutContent(ctx, "/z", nil); err != nil {
		t.Fatal(err)
	}
	appendTo("/z", 0, "abc")
	if b, _ := d.GetContent(ctx, "/z"); string(b) != "abc" {
		t.Fatalf("/z = %q", b)
	}
	if err := d.PutContent(ctx, "/s", []byte("hello")); err != nil {
		t.Fatal(err)
	}
	appendTo("/s", 5, " world")
	if b, _ := d.GetContent(ctx, "/s"); string(b) != "hello world" {
		t.Fatalf("/s = %q", b)
	}
	if h := hidden(); len(h) != 0 {
		t.Fatalf("hidden objects left after small appends: %v", h)
	}
	if _, err := d.Writer(ctx, "/missing", true); !driver.IsNotFound(err) {
		t.Fatalf("Writer(missing, true): %v", err)
	}
	// A new upload discards the unfinished one at the same path.
	w, _ := d.Writer(ctx, "/u", false)
	_, _ = w.Write(randBytes(2<<20 + 3))
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	w, _ = d.Writer(ctx, "/u", false)
	_, _ = w.Write([]byte("x"))
	if err := w.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if b, _ := d.GetContent(ctx, "/u"); string(b) != "x" {
		t.Fatalf("/u = %q", b)
	}
	if h := hidden(); len(h) != 0 {
		t.Fatalf("hidden objects left by the discarded upload: %v", h)
	}
	// Overwriting a large object deletes its segments: by Commit, by Move.
	for _, how := range []string{"commit", "move"} {
		w, _ = d.Writer(ctx, "/big", false)
		_, _ = w.Write(randBytes(3 << 20))
		if err := w.Commit(ctx); err != nil {
			t.Fatal(err)
		}
		if len(hidden()) != 3 {
			t.Fatalf("segments of /big: %v", hidden())
		}
		switch how {
		case "commit":
			w, _ = d.Writer(ctx, "/big", false)
			_, _ = w.Write([]byte("small"))
			if err := w.Commit(ctx); err != nil {
				t.Fatal(err)
			}
		case "move":
			if err := d.PutContent(ctx, "/small", []byte("small")); err != nil {
				t.Fatal(err)
			}
			if err := d.Move(ctx, "/small", "/big"); err != nil {
				t.Fatal(err)
			}
		}
		if b, _ := d.GetContent(ctx, "/big"); string(b) != "small" {
			t.Fatalf("/big after %s = %d bytes", how, len(b))
		}
		if h := hidden(); len(h) != 0 {
			t.Fatalf("segments left after overwrite by %s: %v", how, h)
		}
	}
}
