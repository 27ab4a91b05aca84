package conformance

import (
	"bytes"
	"context"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"sync"

	"github.com/stowage/stowage/driver"
)

func concurrencyCases() []Case {
	return []Case{
		{Name: "Concurrency/Readers", run: func(t TB, h Harness, d driver.StorageDriver, root string) {
			// Readers at once at random offsets of one object, as clients
			// pulling one layer do; the offsets include both ends.
			data := randomBytes(2*h.chunk() + 1000)
			mustPut(t, d, "/shared", data)
			offsets := []int64{0, int64(len(data)) - 1, int64(len(data))}
			for len(offsets) < 16 {
				offsets = append(offsets, mrand.Int64N(int64(len(data))))
			}
			errs := make(chan error, len(offsets))
			var wg sync.WaitGroup
			for _, off := range offsets {
				wg.Add(1)
				go func() {
					defer wg.Done()
					rc, err := d.Reader(t.Context(), "/shared", off)
					if err != nil {
						errs <- fmt.Errorf("Reader(/shared, %d): %w", off, err)
						return
					}
					defer rc.Close()
					got, err := io.ReadAll(rc)
					if err != nil {
						errs <- fmt.Errorf("reader at %d: %w", off, err)
						return
					}
					if !bytes.Equal(got, data[off:]) {
						errs <- fmt.Errorf("reader at %d read %d bytes (sha256 %s), want %d (sha256 %s)", off, len(got), digest(got), len(data[off:]), digest(data[off:]))
					}
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Fatalf("concurrent reader: %v", err)
			}
		}},
		{Name: "Concurrency/FileStreams", run: func(t TB, h Harness, d driver.StorageDriver, root string) {
			// Writers at once, each copying from an *os.File (which io.Copy
			// treats specially: it has WriteTo), of sizes across the chunk
			// size; none may hang or mix up another's bytes.
			const n = 8
			c := h.chunk()
			dir, err := os.MkdirTemp("", "stowage-conformance-")
			if err != nil {
				t.Fatalf("temp dir: %v", err)
			}
			t.Cleanup(func() { os.RemoveAll(dir) })
			sums := make([]string, n)
			sizes := make([]int64, n)
			for i := range n {
				sizes[i] = int64(i)*c/4 + 1 // 1 byte to 1.75 chunks
				data := randomBytes(sizes[i])
				sums[i] = fullDigest(data)
				if err := os.WriteFile(filepath.Join(dir, strconv.Itoa(i)), data, 0o600); err != nil {
					t.Fatalf("write temp file: %v", err)
				}
			}
			errs := make(chan error, n)
			var wg sync.WaitGroup
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					errs <- streamFile(t.Context(), d, filepath.Join(dir, strconv.Itoa(i)), fmt.Sprintf("/fs/%d", i), sizes[i])
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				if err != nil {
					t.Fatalf("concurrent file stream: %v", err)
				}
			}
			for i := range n {
				got := mustGet(t, d, fmt.Sprintf("/fs/%d", i))
				if fullDigest(got) != sums[i] {
					t.Fatalf("/fs/%d: read back %d bytes that differ from the %d written", i, len(got), sizes[i])
				}
			}
		}},
		{Name: "Concurrency/Writers", run: func(t TB, h Harness, d driver.StorageDriver, root string) {
			n := h.concurrency()
			contents := make([][]byte, n)
			errs := make(chan error, n)
			var wg sync.WaitGroup
			for i := range n {
				contents[i] = randomBytes(int64(10_000 + i*997))
				wg.Add(1)
				go func() {
					defer wg.Done()
					p := fmt.Sprintf("/cw/%02d/blob", i)
					w, err := d.Writer(t.Context(), p, false)
					if err != nil {
						errs <- fmt.Errorf("Writer(%s): %w", p, err)
						return
					}
					for off := 0; off < len(contents[i]); off += 4096 {
						end := min(off+4096, len(contents[i]))
						if _, err := w.Write(contents[i][off:end]); err != nil {
							errs <- fmt.Errorf("Write(%s): %w", p, err)
							return
						}
					}
					if err := w.Commit(t.Context()); err != nil {
						errs <- fmt.Errorf("Commit(%s): %w", p, err)
						return
					}
					_ = w.Close()
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Fatalf("concurrent writer: %v", err)
			}
			for i := range n {
				expectContent(t, d, fmt.Sprintf("/cw/%02d/blob", i), contents[i])
			}
		}},
		{Name: "Concurrency/DeleteWhileStoring", run: func(t TB, h Harness, d driver.StorageDriver, root string) {
			// A recursive Delete of a directory while objects are stored
			// under it, as when distribution's driver suite deletes a
			// random path's first element that another stream shares, or
			// garbage collection deletes a repository being pushed to.
			// Neither may fail: Delete removes what it finds (an object
			// stored meanwhile may stay), and the store lands whole.
			const writers, rounds = 4, 25
			content := randomBytes(1000)
			mustPut(t, d, "/dw/x/seed", content)
			errs := make(chan error, (writers+1)*rounds)
			var wg sync.WaitGroup
			for w := range writers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := range rounds {
						if err := d.PutContent(t.Context(), fmt.Sprintf("/dw/x/%d/%d/blob", w, i), content); err != nil {
							errs <- fmt.Errorf("PutContent while deleting the parent: %w", err)
						}
					}
				}()
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range rounds {
					if err := d.Delete(t.Context(), "/dw/x"); err != nil && !isNotFound(err) {
						errs <- fmt.Errorf("Delete(/dw/x) while storing under it: %w", err)
					}
				}
			}()
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Fatalf("%v", err)
			}
			// Whatever survived reads back whole.
			err := d.Walk(t.Context(), "/dw", func(fi driver.FileInfo) error {
				if !fi.IsDir() {
					expectContent(t, d, fi.Path(), content)
				}
				return nil
			})
			if err != nil && !isNotFound(err) {
				t.Fatalf("Walk(/dw) after the deletes: %v", err)
			}
		}},
		{Name: "Concurrency/PutContentSamePath", run: func(t TB, h Harness, d driver.StorageDriver, root string) {
			// Last writer wins; the object is always one of the versions whole.
			versions := make([][]byte, 8)
			for i := range versions {
				versions[i] = bytes.Repeat([]byte{byte('a' + i)}, 50_000+i)
			}
			var wg sync.WaitGroup
			for _, v := range versions {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_ = d.PutContent(t.Context(), "/same", v)
				}()
			}
			wg.Wait()
			got := mustGet(t, d, "/same")
			for _, v := range versions {
				if bytes.Equal(got, v) {
					return
				}
			}
			t.Fatalf("after concurrent PutContent the object (%d bytes) is none of the versions written", len(got))
		}},
	}
}

// streamFile copies the file at src to a new object at path.
func streamFile(ctx context.Context, d driver.StorageDriver, src, path string, size int64) error {
	f, err := os.Open(src)
	if err != nil {
		return err
	}
	defer f.Close()
	w, err := d.Writer(ctx, path, false)
	if err != nil {
		return fmt.Errorf("Writer(%s): %w", path, err)
	}
	if n, err := io.Copy(w, f); err != nil || n != size {
		_ = w.Cancel(ctx)
		return fmt.Errorf("copy %d bytes to %s: copied %d: %v", size, path, n, err)
	}
	if w.Size() != size {
		return fmt.Errorf("%s: Size() = %d after writing %d bytes", path, w.Size(), size)
	}
	if err := w.Commit(ctx); err != nil {
		return fmt.Errorf("Commit(%s): %w", path, err)
	}
	return w.Close()
}
