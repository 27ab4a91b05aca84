package conformance

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	mrand "math/rand/v2"

	"github.com/stowage/stowage/driver"
)

// randomBytes returns n random bytes.
func randomBytes(n int64) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return b
}

// patternReader yields n deterministic pseudo-random bytes without holding
// them in memory, for the large-stream case.
type patternReader struct {
	rng  *mrand.ChaCha8
	left int64
}

func newPatternReader(seed byte, n int64) *patternReader {
	var s [32]byte
	s[0] = seed
	return &patternReader{rng: mrand.NewChaCha8(s), left: n}
}

func (r *patternReader) Read(p []byte) (int, error) {
	if r.left <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > r.left {
		p = p[:r.left]
	}
	n, _ := r.rng.Read(p)
	r.left -= int64(n)
	return n, nil
}

func digest(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:8])
}

// fullDigest is the hex SHA-256 of b, as in a registry's blob path.
func fullDigest(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func mustPut(t TB, d driver.StorageDriver, path string, content []byte) {
	t.Helper()
	if err := d.PutContent(t.Context(), path, content); err != nil {
		t.Fatalf("PutContent(%s, %d bytes): %v", path, len(content), err)
	}
}

func mustGet(t TB, d driver.StorageDriver, path string) []byte {
	t.Helper()
	b, err := d.GetContent(t.Context(), path)
	if err != nil {
		t.Fatalf("GetContent(%s): %v", path, err)
	}
	return b
}

func expectContent(t TB, d driver.StorageDriver, path string, want []byte) {
	t.Helper()
	got := mustGet(t, d, path)
	if !bytes.Equal(got, want) {
		t.Fatalf("GetContent(%s): got %d bytes (sha256 %s), want %d bytes (sha256 %s)",
			path, len(got), digest(got), len(want), digest(want))
	}
}

// isNotFound reports whether err is a driver.PathNotFoundError.
func isNotFound(err error) bool {
	var nf driver.PathNotFoundError
	return errors.As(err, &nf)
}

func expectNotFound(t TB, what string, err error) {
	t.Helper()
	var nf driver.PathNotFoundError
	if !errors.As(err, &nf) {
		t.Fatalf("%s: got error %v (%T), want PathNotFoundError", what, err, err)
	}
	if nf.DriverName == "" {
		t.Errorf("%s: PathNotFoundError does not name the driver", what)
	}
}

func expectInvalidPath(t TB, what string, err error) {
	t.Helper()
	var ip driver.InvalidPathError
	if !errors.As(err, &ip) {
		t.Fatalf("%s: got error %v (%T), want InvalidPathError", what, err, err)
	}
	if ip.DriverName == "" {
		t.Errorf("%s: InvalidPathError does not name the driver", what)
	}
}

// writeAll writes data through a fresh or resumed writer and closes or
// commits it.
func writeAll(t TB, d driver.StorageDriver, path string, appendMode bool, data []byte, commit bool) int64 {
	t.Helper()
	ctx := t.Context()
	w, err := d.Writer(ctx, path, appendMode)
	if err != nil {
		t.Fatalf("Writer(%s, append=%v): %v", path, appendMode, err)
	}
	if n, err := w.Write(data); err != nil || n != len(data) {
		t.Fatalf("Write(%s, %d bytes): n=%d err=%v", path, len(data), n, err)
	}
	size := w.Size()
	if commit {
		if err := w.Commit(ctx); err != nil {
			t.Fatalf("Commit(%s): %v", path, err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatalf("Close(%s): %v", path, err)
	}
	return size
}

// sizeWhy is what a wrong Size breaks, for failure messages.
const sizeWhy = "a registry answers each PATCH with Range 0-(Size-1) after Close and checks the digest of exactly Size bytes after Commit"

func expectSize(t TB, w driver.FileWriter, want int64, when string) {
	t.Helper()
	if got := w.Size(); got != want {
		t.Fatalf("Size() %s = %d, want %d (%s)", when, got, want, sizeWhy)
	}
}

// ending is how a session ends its writer.
type ending int

const (
	endClose  ending = iota // Close: the upload stays, to be resumed
	endCommit               // Commit, then Close as a registry does
	endCancel               // Cancel
)

func (e ending) String() string { return [...]string{"Close", "Commit", "Cancel"}[e] }

// session is one writer's life as one registry request drives it: open the
// writer (resumed when resume is set) and check that Size is before, write
// data in the pieces an HTTP body arrives in, then end the writer as end
// says; Size is checked after every step. It returns the size after.
func session(t TB, d driver.StorageDriver, path string, resume bool, before int64, data []byte, end ending) int64 {
	t.Helper()
	ctx := t.Context()
	w, err := d.Writer(ctx, path, resume)
	if err != nil {
		t.Fatalf("Writer(%s, append=%v): %v", path, resume, err)
	}
	expectSize(t, w, before, fmt.Sprintf("of Writer(%s, append=%v) before writing", path, resume))
	if len(data) > 0 {
		if n, err := io.CopyBuffer(w, onlyReader{bytes.NewReader(data)}, make([]byte, 32<<10)); err != nil || n != int64(len(data)) {
			t.Fatalf("write %d bytes to %s: wrote %d: %v", len(data), path, n, err)
		}
	}
	after := before + int64(len(data))
	expectSize(t, w, after, fmt.Sprintf("of %s after writing %d bytes", path, len(data)))
	switch end {
	case endClose:
		if err := w.Close(); err != nil {
			t.Fatalf("Close(%s): %v", path, err)
		}
	case endCommit:
		if err := w.Commit(ctx); err != nil {
			t.Fatalf("Commit(%s): %v", path, err)
		}
		expectSize(t, w, after, fmt.Sprintf("of %s after Commit", path))
		if err := w.Close(); err != nil {
			t.Fatalf("Close(%s) after Commit: %v, want nil (a registry closes every writer it committed)", path, err)
		}
	case endCancel:
		if err := w.Cancel(ctx); err != nil {
			t.Fatalf("Cancel(%s): %v", path, err)
		}
	}
	expectSize(t, w, after, fmt.Sprintf("of %s after %v", path, end))
	return after
}

// onlyReader hides every method of a reader but Read, so copies go through
// a buffer in pieces, as an HTTP request body does.
type onlyReader struct{ r io.Reader }

func (o onlyReader) Read(p []byte) (int, error) { return o.r.Read(p) }

// expectEmptyReader opens a Reader at offset 0 of a zero-length object and
// checks that the first Read gives 0 bytes and io.EOF.
func expectEmptyReader(t TB, d driver.StorageDriver, path string) {
	t.Helper()
	rc, err := d.Reader(t.Context(), path, 0)
	if err != nil {
		t.Fatalf("Reader(%s, 0) of a zero-length object: %v", path, err)
	}
	defer rc.Close()
	n, err := rc.Read(make([]byte, 32))
	if n != 0 || !errors.Is(err, io.EOF) {
		t.Fatalf("Read of a zero-length object %s: n=%d err=%v, want 0, io.EOF", path, n, err)
	}
}
