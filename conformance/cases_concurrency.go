package conformance

import (
	"bytes"
	"fmt"
	"io"
	"sync"

	"github.com/stowage/stowage/driver"
)

func concurrencyCases() []Case {
	return []Case{
		{Name: "Concurrency/Readers", run: func(t TB, h Harness, d driver.StorageDriver, root string) {
			data := randomBytes(h.chunk() + 1000)
			mustPut(t, d, "/shared", data)
			errs := make(chan error, 16)
			var wg sync.WaitGroup
			for i := range 16 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					off := int64(i * 1000)
					rc, err := d.Reader(t.Context(), "/shared", off)
					if err != nil {
						errs <- err
						return
					}
					defer rc.Close()
					got, err := io.ReadAll(rc)
					if err != nil {
						errs <- err
						return
					}
					if !bytes.Equal(got, data[off:]) {
						errs <- fmt.Errorf("reader at %d read %d bytes that differ", off, len(got))
					}
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Fatalf("concurrent reader: %v", err)
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
