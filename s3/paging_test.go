package s3

import (
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/stowage/stowage/driver"
)

// testPaging lists and deletes more keys than one S3 page holds, and runs
// writers concurrently.
func testPaging(t *testing.T, s *server) {
	rec, hc := newRecorder()
	d := driver.Wrap(open(t, s.params(newRoot(t)), WithHTTPClient(hc)))
	const n = 1100
	var wg sync.WaitGroup
	errs := make(chan error, n)
	sem := make(chan struct{}, 16)
	for i := range n {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			if i%100 == 0 {
				// Some through writers, concurrently with the rest.
				w, err := d.Writer(ctx(t), fmt.Sprintf("/p/f%04d", i), false)
				if err == nil {
					_, _ = w.Write([]byte("x"))
					err = w.Commit(ctx(t))
				}
				errs <- err
				return
			}
			errs <- d.PutContent(ctx(t), fmt.Sprintf("/p/f%04d", i), []byte("x"))
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	list, err := d.List(ctx(t), "/p")
	if err != nil || len(list) != n {
		t.Fatalf("List = %d entries, %v", len(list), err)
	}
	walked := 0
	last := ""
	if err := d.Walk(ctx(t), "/", func(fi driver.FileInfo) error {
		if fi.Path() <= last {
			t.Fatalf("Walk out of order: %s after %s", fi.Path(), last)
		}
		last = fi.Path()
		walked++
		return nil
	}); err != nil || walked != n+1 {
		t.Fatalf("Walk = %d entries, %v", walked, err)
	}
	// Walk from a hint lists from there.
	walked = 0
	if err := d.Walk(ctx(t), "/p", func(fi driver.FileInfo) error { walked++; return nil }, driver.WithStartAfterHint("/p/f1049")); err != nil || walked != 50 {
		t.Fatalf("Walk after hint = %d entries, %v", walked, err)
	}
	before := len(rec.requests())
	if err := d.Delete(ctx(t), "/p"); err != nil {
		t.Fatal(err)
	}
	batches := 0
	for _, r := range rec.requests()[before:] {
		if r.Method == http.MethodPost && r.URL.Query().Has("delete") {
			batches++
		}
	}
	if batches != 2 {
		t.Fatalf("%d DeleteObjects requests for %d keys, want 2", batches, n)
	}
	if _, err := d.List(ctx(t), "/p"); !driver.IsNotFound(err) {
		t.Fatalf("List after Delete: %v", err)
	}
}
