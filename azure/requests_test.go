package azure_test

import (
	"bytes"
	"net/http"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/stowage/stowage/azure"
	"github.com/stowage/stowage/conformance/emulator"
	"github.com/stowage/stowage/driver"
)

// requestLog records the requests a driver sends, as "METHOD comp".
type requestLog struct {
	mu   sync.Mutex
	reqs []string
	next http.RoundTripper
}

func (l *requestLog) RoundTrip(r *http.Request) (*http.Response, error) {
	l.mu.Lock()
	l.reqs = append(l.reqs, r.Method+" "+r.URL.Query().Get("comp"))
	l.mu.Unlock()
	return l.next.RoundTrip(r)
}

func (l *requestLog) take() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := l.reqs
	l.reqs = nil
	sort.Strings(out)
	return out
}

// TestUploadRequests checks what a new upload costs: one of a block or
// less is one Put Blob (beside the removal of a hidden upload blob an
// older upload may have left), whether it ends at the block's edge or
// not; a longer one stages blocks.
func TestUploadRequests(t *testing.T) {
	srv, _ := startServer(t, emulator.AzuriteOptions{})
	log := &requestLog{next: http.DefaultTransport}
	d, err := driver.Open(t.Context(), azure.Name, params(srv, "requests", nil), driver.WithHTTPClient(&http.Client{Transport: log}))
	if err != nil {
		t.Fatal(err)
	}
	for _, size := range []int{1 << 10, 4 << 20} {
		w, err := d.Writer(t.Context(), "/blob", false)
		if err != nil {
			t.Fatal(err)
		}
		for b := bytes.Repeat([]byte{'x'}, size); len(b) > 0; b = b[min(len(b), 1<<20):] {
			if _, err := w.Write(b[:min(len(b), 1<<20)]); err != nil {
				t.Fatal(err)
			}
		}
		log.take()
		if err := w.Commit(t.Context()); err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(log.take(), ", "); got != "DELETE , PUT " {
			t.Errorf("new upload of %d bytes: requests %q, want one Put Blob and one Delete", size, got)
		}
	}
}
