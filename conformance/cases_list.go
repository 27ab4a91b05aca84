package conformance

import (
	"fmt"
	"slices"
	"sync"

	"github.com/stowage/stowage/driver"
)

func listCases() []Case {
	return []Case{
		{Name: "List/DirectChildrenOnly", run: func(t TB, h Harness, d driver.StorageDriver, root string) {
			for _, p := range []string{"/l/a", "/l/b/c", "/l/b/d/e", "/l/b-x", "/l2/z"} {
				mustPut(t, d, p, []byte(p))
			}
			check := func(dir string, want ...string) {
				got, err := d.List(t.Context(), dir)
				if err != nil {
					t.Fatalf("List(%s): %v", dir, err)
				}
				slices.Sort(got)
				if !slices.Equal(got, want) {
					t.Fatalf("List(%s) = %v, want %v", dir, got, want)
				}
			}
			check("/", "/l", "/l2")
			check("/l", "/l/a", "/l/b", "/l/b-x")
			check("/l/b", "/l/b/c", "/l/b/d")
			check("/l/b/d", "/l/b/d/e")
		}},
		{Name: "List/RootOfEmptyStore", run: func(t TB, h Harness, d driver.StorageDriver, root string) {
			// The root always exists, even before anything is written.
			got, err := d.List(t.Context(), "/")
			if err != nil || len(got) != 0 {
				t.Fatalf("List(/) of an empty store = %v, %v; want nothing and no error", got, err)
			}
		}},
		{Name: "List/Missing", run: func(t TB, h Harness, d driver.StorageDriver, root string) {
			mustPut(t, d, "/l/a", []byte("x"))
			// Exactly the value, not wrapped: registries built on
			// distribution compare it so.
			for _, p := range []string{"/nope", "/l/nonexistent", "/l/nonexistent/deeper"} {
				_, err := d.List(t.Context(), p)
				want := driver.PathNotFoundError{Path: p, DriverName: d.Name()}
				if err != error(want) {
					t.Fatalf("List(%s) = %#v, want exactly %#v", p, err, want)
				}
			}
			_, err := d.List(t.Context(), "/l/a")
			if err == nil {
				// Listing a file gives nothing or not-found; never the file.
				got, _ := d.List(t.Context(), "/l/a")
				if len(got) != 0 {
					t.Fatalf("List of a file = %v", got)
				}
			}
		}},
		{Name: "List/Paging", run: func(t TB, h Harness, d driver.StorageDriver, root string) {
			n := h.listPage()
			want := make([]string, n)
			for i := range n {
				want[i] = fmt.Sprintf("/page/f%05d", i)
			}
			putMany(t, d, want, h.concurrency())
			got, err := d.List(t.Context(), "/page")
			if err != nil {
				t.Fatalf("List(/page): %v", err)
			}
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Fatalf("List(/page) returned %d entries, want %d", len(got), n)
			}
		}},
	}
}

// putMany stores small files at paths with bounded concurrency.
func putMany(t TB, d driver.StorageDriver, paths []string, workers int) {
	t.Helper()
	ch := make(chan string)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstErr error
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range ch {
				if err := d.PutContent(t.Context(), p, []byte(p)); err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = fmt.Errorf("PutContent(%s): %w", p, err)
					}
					mu.Unlock()
				}
			}
		}()
	}
	for _, p := range paths {
		ch <- p
	}
	close(ch)
	wg.Wait()
	if firstErr != nil {
		t.Fatalf("%v", firstErr)
	}
}
