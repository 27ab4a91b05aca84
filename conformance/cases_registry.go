package conformance

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"strconv"
	"time"

	"github.com/stowage/stowage/driver"
)

// A blob upload as a registry built on distribution drives its storage
// driver, request by request:
//
//	POST  /v2/<name>/blobs/uploads/      PutContent(<upload>/startedat)
//	                                     Writer(<upload>/data, false), Close
//	PATCH <location> (each chunk)        Writer(<upload>/data, true): Size must be the
//	                                     bytes so far (the chunk's Content-Range start);
//	                                     Write, Close, then Size answers with the
//	                                     Range header; PutContent(<upload>/hashstates/...)
//	PUT   <location>?digest=... [last]   Writer(<upload>/data, true), Write, Commit,
//	                                     Close, Size; Stat(<upload>/data) for the size;
//	                                     Reader(<upload>/data, 0) for the digest of
//	                                     exactly Size bytes; Move to the blob path;
//	                                     Delete(<upload>)
//
// Each request may reach another registry process, hence another driver
// instance.

// uploadPlan is the body sizes of one blob upload's requests, for chunk
// size c.
type uploadPlan struct {
	name  string
	sizes func(c int64) (patches []int64, put int64)
}

var uploadPlans = []uploadPlan{
	{"1B", func(c int64) ([]int64, int64) { return []int64{1, 1, 1}, 1 }},
	{"32B", func(c int64) ([]int64, int64) { return []int64{32, 32, 32}, 32 }},
	{"ChunkMinus1", func(c int64) ([]int64, int64) { return []int64{c - 1, c - 1, c - 1}, 3 }},
	{"Chunk", func(c int64) ([]int64, int64) { return []int64{c, c}, c }},
	{"ChunkPlus1", func(c int64) ([]int64, int64) { return []int64{c + 1, c + 1}, c + 1 }},
	{"TwoAndAHalfChunks", func(c int64) ([]int64, int64) { return []int64{5 * c / 2, 5 * c / 2}, 1 }},
	// POST, then one PUT with the whole body.
	{"Monolithic", func(c int64) ([]int64, int64) { return nil, 3*c/2 + 5 }},
	// The final PUT carries no bytes: all came in PATCHes.
	{"EmptyFinalPut", func(c int64) ([]int64, int64) { return []int64{c / 2, c + 3}, 0 }},
	// A zero-length blob (POST, then PUT with no body): registries store
	// one for empty layers.
	{"ZeroLength", func(c int64) ([]int64, int64) { return nil, 0 }},
}

func registryCases() []Case {
	var out []Case
	for _, p := range uploadPlans {
		out = append(out, Case{Name: "Registry/UploadSequence/" + p.name, run: func(t TB, h Harness, d driver.StorageDriver, root string) {
			patches, put := p.sizes(h.chunk())
			replayUpload(t, []driver.StorageDriver{d}, patches, put)
		}})
	}
	out = append(out, Case{Name: "Registry/UploadAcrossInstances", run: func(t TB, h Harness, d driver.StorageDriver, root string) {
		// Requests alternate between two driver instances, as between two
		// registry processes behind a load balancer: every PATCH resumes
		// what the other instance closed.
		c := h.chunk()
		replayUpload(t, []driver.StorageDriver{d, h.Open(t, root)}, []int64{c/3 + 1, c + 7, c / 2}, 9)
	}})
	return out
}

// replayUpload drives one blob upload (POST, a PATCH per entry of patches,
// a PUT with put bytes) through the drivers in turn, then checks the blob
// as the registry does and moves it to its blob path.
func replayUpload(t TB, ds []driver.StorageDriver, patches []int64, put int64) {
	t.Helper()
	ctx := t.Context()
	req := 0
	next := func() driver.StorageDriver { d := ds[req%len(ds)]; req++; return d }
	var id [16]byte
	_, _ = rand.Read(id[:])
	dir := "/docker/registry/v2/repositories/library/app/_uploads/" + hex.EncodeToString(id[:])
	data := dir + "/data"
	sum := sha256.New()
	var total int64

	// POST
	d := next()
	mustPut(t, d, dir+"/startedat", []byte(time.Now().UTC().Format(time.RFC3339)))
	session(t, d, data, false, 0, nil, endClose)

	// PATCH
	for i, n := range patches {
		d := next()
		w, err := d.Writer(ctx, data, true)
		if err != nil {
			t.Fatalf("PATCH %d: Writer(append=true) resuming the upload: %v", i+1, err)
		}
		expectSize(t, w, total, fmt.Sprintf("on resume for PATCH %d (compared with its Content-Range start)", i+1))
		writeBody(t, w, sum, byte(i+1), n, fmt.Sprintf("PATCH %d", i+1))
		if err := w.Close(); err != nil {
			t.Fatalf("PATCH %d: Close: %v", i+1, err)
		}
		total += n
		expectSize(t, w, total, fmt.Sprintf("after Close of PATCH %d (its Range header)", i+1))
		mustPut(t, d, dir+"/hashstates/sha256/"+strconv.FormatInt(total, 10), []byte("hash state"))
	}

	// PUT
	d = next()
	w, err := d.Writer(ctx, data, true)
	if err != nil {
		t.Fatalf("PUT: Writer(append=true) resuming the upload: %v", err)
	}
	expectSize(t, w, total, "on resume for the final PUT")
	writeBody(t, w, sum, 0xff, put, "PUT")
	total += put
	if err := w.Commit(ctx); err != nil {
		t.Fatalf("PUT: Commit: %v", err)
	}
	if err := w.Close(); err != nil {
		t.Fatalf("PUT: Close after Commit: %v, want nil", err)
	}
	expectSize(t, w, total, "after Commit and Close of the final PUT (the blob's size)")
	want := hex.EncodeToString(sum.Sum(nil))

	// The registry's check of the blob: its size, then its digest over
	// exactly Size bytes.
	d = next()
	verifyBlob(t, d, data, total, want, "committed upload")
	blob := "/docker/registry/v2/blobs/sha256/" + want[:2] + "/" + want + "/data"
	if err := d.Move(ctx, data, blob); err != nil {
		t.Fatalf("Move(upload, blob path): %v", err)
	}
	_, err = d.Stat(ctx, data)
	expectNotFound(t, "Stat(upload data) after Move", err)
	if err := d.Delete(ctx, dir); err != nil {
		t.Fatalf("Delete(%s), the upload's directory, after Move: %v", dir, err)
	}
	// Pulled, possibly through another instance.
	verifyBlob(t, next(), blob, total, want, "blob after Move")
	if _, err := next().List(ctx, dir); !driver.IsNotFound(err) {
		t.Fatalf("List(upload directory) after its Delete: %v, want PathNotFoundError", err)
	}
}

// writeBody writes n pattern bytes, seeded by seed, to w in the pieces of
// an HTTP body, adding them to sum; Size must grow by n.
func writeBody(t TB, w driver.FileWriter, sum hash.Hash, seed byte, n int64, what string) {
	t.Helper()
	before := w.Size()
	src := io.TeeReader(newPatternReader(seed, n), sum)
	if m, err := io.CopyBuffer(w, onlyReader{src}, make([]byte, 32<<10)); err != nil || m != n {
		t.Fatalf("%s: write %d bytes: wrote %d: %v", what, n, m, err)
	}
	expectSize(t, w, before+n, fmt.Sprintf("after writing the %d bytes of %s", n, what))
}

// verifyBlob checks that path holds size bytes whose SHA-256 is want, by
// Stat and by reading exactly size bytes from offset 0 and then io.EOF.
func verifyBlob(t TB, d driver.StorageDriver, path string, size int64, want, what string) {
	t.Helper()
	ctx := t.Context()
	fi, err := d.Stat(ctx, path)
	if err != nil {
		t.Fatalf("Stat(%s) of the %s: %v", path, what, err)
	}
	if fi.Size() != size || fi.IsDir() {
		t.Fatalf("Stat(%s) of the %s: size %d dir %v, want a file of %d bytes", path, what, fi.Size(), fi.IsDir(), size)
	}
	rc, err := d.Reader(ctx, path, 0)
	if err != nil {
		t.Fatalf("Reader(%s, 0) of the %s: %v", path, what, err)
	}
	defer rc.Close()
	sum := sha256.New()
	if n, err := io.CopyN(sum, rc, size); err != nil {
		t.Fatalf("read the %s: %d of %d bytes: %v", what, n, size, err)
	}
	if n, err := rc.Read(make([]byte, 1)); n != 0 || !errors.Is(err, io.EOF) {
		t.Fatalf("read the %s: after its %d bytes Read gives n=%d err=%v, want 0, io.EOF", what, size, n, err)
	}
	if got := hex.EncodeToString(sum.Sum(nil)); got != want {
		t.Fatalf("the %s's %d bytes have digest sha256:%s, want sha256:%s (the registry would answer DIGEST_INVALID)", what, size, got, want)
	}
}
