package conformance

import (
	"crypto/sha256"
	"fmt"
	"io"

	"github.com/stowage/stowage/driver"
)

func streamCases() []Case {
	var out []Case
	sizes := func(h Harness) []int64 {
		c := h.chunk()
		return []int64{1, 4096, c - 1, c, c + 1, 2*c + 17}
	}
	out = append(out, Case{Name: "Stream/SizesAcrossChunk", run: func(t TB, h Harness, d driver.StorageDriver, root string) {
		for _, n := range sizes(h) {
			p := fmt.Sprintf("/stream/%d", n)
			data := randomBytes(n)
			if size := writeAll(t, d, p, false, data, true); size != n {
				t.Errorf("Size() before Commit = %d, want %d", size, n)
			}
			rc, err := d.Reader(t.Context(), p, 0)
			if err != nil {
				t.Fatalf("Reader(%s): %v", p, err)
			}
			got, err := io.ReadAll(rc)
			rc.Close()
			if err != nil {
				t.Fatalf("read %s: %v", p, err)
			}
			if digest(got) != digest(data) || len(got) != len(data) {
				t.Fatalf("%s: read %d bytes (%s), wrote %d (%s)", p, len(got), digest(got), len(data), digest(data))
			}
		}
	}})
	out = append(out, Case{Name: "Stream/Large", run: func(t TB, h Harness, d driver.StorageDriver, root string) {
		n := h.large()
		ctx := t.Context()
		w, err := d.Writer(ctx, "/large", false)
		if err != nil {
			t.Fatalf("Writer: %v", err)
		}
		want := sha256.New()
		src := io.TeeReader(newPatternReader(7, n), want)
		// Write in uneven pieces, as an HTTP body arrives.
		buf := make([]byte, 1<<20+123)
		written, err := io.CopyBuffer(struct{ io.Writer }{w}, struct{ io.Reader }{src}, buf)
		if err != nil || written != n {
			t.Fatalf("write %d bytes: wrote %d: %v", n, written, err)
		}
		if w.Size() != n {
			t.Fatalf("Size() = %d, want %d", w.Size(), n)
		}
		if err := w.Commit(ctx); err != nil {
			t.Fatalf("Commit: %v", err)
		}
		_ = w.Close()
		fi, err := d.Stat(ctx, "/large")
		if err != nil || fi.Size() != n {
			t.Fatalf("Stat: %v, size %v, want %d", err, fi, n)
		}
		rc, err := d.Reader(ctx, "/large", 0)
		if err != nil {
			t.Fatalf("Reader: %v", err)
		}
		defer rc.Close()
		got := sha256.New()
		if m, err := io.Copy(got, rc); err != nil || m != n {
			t.Fatalf("read back %d of %d bytes: %v", m, n, err)
		}
		if fmt.Sprintf("%x", got.Sum(nil)) != fmt.Sprintf("%x", want.Sum(nil)) {
			t.Fatalf("digest of %d bytes read back differs from what was written", n)
		}
	}})
	return out
}
