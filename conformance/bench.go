package conformance

import (
	"bytes"
	"fmt"
	"io"
	"testing"

	"github.com/stowage/stowage/driver"
)

// Bench measures write, read, list, walk and delete throughput of the
// harness's driver as sub-benchmarks of b.
func Bench(b *testing.B, h Harness) {
	sizes := []int64{1 << 20, h.chunk() * 2}
	for _, size := range sizes {
		b.Run(fmt.Sprintf("Write/%dKiB", size>>10), func(b *testing.B) {
			d := h.Open(b, newRoot())
			b.Cleanup(func() { cleanRoot(b, d) })
			data := randomBytes(size)
			b.SetBytes(size)
			b.ResetTimer()
			for i := range b.N {
				p := fmt.Sprintf("/bench/w%d", i)
				w, err := d.Writer(b.Context(), p, false)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := io.Copy(w, bytes.NewReader(data)); err != nil {
					b.Fatal(err)
				}
				if err := w.Commit(b.Context()); err != nil {
					b.Fatal(err)
				}
				_ = w.Close()
			}
		})
		b.Run(fmt.Sprintf("Read/%dKiB", size>>10), func(b *testing.B) {
			d := h.Open(b, newRoot())
			b.Cleanup(func() { cleanRoot(b, d) })
			mustPut(b, d, "/bench/r", randomBytes(size))
			b.SetBytes(size)
			b.ResetTimer()
			for range b.N {
				rc, err := d.Reader(b.Context(), "/bench/r", 0)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := io.Copy(io.Discard, rc); err != nil {
					b.Fatal(err)
				}
				rc.Close()
			}
		})
	}
	const files = 200
	paths := make([]string, files)
	for i := range files {
		paths[i] = fmt.Sprintf("/bench/d%02d/f%03d", i%10, i)
	}
	b.Run("List", func(b *testing.B) {
		d := h.Open(b, newRoot())
		b.Cleanup(func() { cleanRoot(b, d) })
		putMany(b, d, paths, 16)
		b.ResetTimer()
		for range b.N {
			if _, err := d.List(b.Context(), "/bench/d01"); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Walk", func(b *testing.B) {
		d := h.Open(b, newRoot())
		b.Cleanup(func() { cleanRoot(b, d) })
		putMany(b, d, paths, 16)
		b.ResetTimer()
		for range b.N {
			n := 0
			if err := d.Walk(b.Context(), "/bench", func(driver.FileInfo) error { n++; return nil }); err != nil {
				b.Fatal(err)
			}
			if n != files+10 {
				b.Fatalf("walked %d entries, want %d", n, files+10)
			}
		}
	})
	b.Run("Delete", func(b *testing.B) {
		d := h.Open(b, newRoot())
		b.Cleanup(func() { cleanRoot(b, d) })
		for range b.N {
			b.StopTimer()
			putMany(b, d, paths, 16)
			b.StartTimer()
			if err := d.Delete(b.Context(), "/bench"); err != nil {
				b.Fatal(err)
			}
		}
	})
}
