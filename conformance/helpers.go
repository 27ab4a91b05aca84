package conformance

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
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
