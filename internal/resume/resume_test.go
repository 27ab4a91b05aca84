package resume_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stowage/stowage/conformance/faultproxy"
	"github.com/stowage/stowage/internal/resume"
	"github.com/stowage/stowage/internal/retry"
)

// object serves one object with ETag, Range and If-Match (http.ServeContent).
type object struct {
	mu   sync.Mutex
	data []byte
	etag string
}

func (o *object) set(data []byte, etag string) {
	o.mu.Lock()
	o.data, o.etag = data, etag
	o.mu.Unlock()
}

func (o *object) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	o.mu.Lock()
	data, etag := o.data, o.etag
	o.mu.Unlock()
	w.Header().Set("ETag", etag)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(data))
}

func open(url string) resume.Open {
	return func(ctx context.Context, off int64, version string) (io.ReadCloser, error) {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		req.Header.Set("Range", "bytes="+strconv.FormatInt(off, 10)+"-")
		if version != "" {
			req.Header.Set("If-Match", version)
		}
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			return nil, err
		}
		switch resp.StatusCode {
		case http.StatusOK, http.StatusPartialContent:
			return resp.Body, nil
		case http.StatusPreconditionFailed:
			resp.Body.Close()
			return nil, resume.ErrChanged
		}
		resp.Body.Close()
		return nil, fmt.Errorf("GET: %s", resp.Status)
	}
}

func setup(t *testing.T, rate float64, faults ...faultproxy.Fault) (*object, *faultproxy.Proxy, []byte) {
	data := make([]byte, 8<<20)
	for i := range data {
		data[i] = byte(i * 7 >> 5)
	}
	o := &object{}
	o.set(data, `"v1"`)
	srv := httptest.NewServer(o)
	t.Cleanup(srv.Close)
	p, err := faultproxy.Start(faultproxy.Config{Target: srv.URL, Seed: 9, Rate: rate,
		Faults: faults})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Close() })
	return o, p, data
}

var fast = retry.Policy{MaxAttempts: 30, Base: time.Millisecond, Max: 5 * time.Millisecond}

// first opens the object, as an adapter's Reader opens it before wrapping
// it (retrying the open is the transport's business).
func first(t *testing.T, p *faultproxy.Proxy, off int64) io.ReadCloser {
	for {
		body, err := open(p.URL()+"/o")(t.Context(), off, "")
		if err == nil {
			return body
		}
	}
}

func TestResumes(t *testing.T) {
	_, p, data := setup(t, 0.5, faultproxy.ResetResponse, faultproxy.Truncate, faultproxy.SlowDown)
	resumed := 0
	for _, off := range []int64{0, 12345, 1 << 20, 5<<20 + 3, 0, 77} {
		r := resume.New(t.Context(), first(t, p, off), off, int64(len(data)), `"v1"`, open(p.URL()+"/o"), resume.Options{Policy: fast})
		got, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			t.Fatalf("offset %d: %v", off, err)
		}
		if !bytes.Equal(got, data[off:]) {
			t.Fatalf("offset %d: read %d bytes, not the object's %d", off, len(got), len(data)-int(off))
		}
		resumed += r.Resumed()
	}
	if resumed == 0 {
		t.Errorf("never resumed through %v", p.Stats())
	}
	t.Logf("resumed %d times; proxy %v", resumed, p.Stats())
}

// TestChanged replaces the object mid-read: the Reader fails with
// ErrChanged and what it returned is a prefix of the old version.
func TestChanged(t *testing.T) {
	o, p, data := setup(t, 0)
	// The first stream ends after 1 MiB.
	body := io.NopCloser(bytes.NewReader(data[:1<<20]))
	r := resume.New(t.Context(), body, 0, int64(len(data)), `"v1"`, open(p.URL()+"/o"), resume.Options{Policy: fast})
	buf := make([]byte, 1<<20)
	if _, err := io.ReadFull(r, buf); err != nil {
		t.Fatal(err)
	}
	o.set(bytes.Repeat([]byte("new"), 3<<20), `"v2"`)
	rest, err := io.ReadAll(r)
	if !errors.Is(err, resume.ErrChanged) {
		t.Fatalf("read %d more bytes of a replaced object: %v, want ErrChanged", len(rest), err)
	}
	got := append(buf, rest...)
	if !bytes.Equal(got, data[:len(got)]) {
		t.Fatal("bytes of the new version were mixed in")
	}
}

// TestGivesUp: a stream that always breaks ends with a clear error.
func TestGivesUp(t *testing.T) {
	_, p, data := setup(t, 1, faultproxy.SlowDown)
	r := resume.New(t.Context(), io.NopCloser(bytes.NewReader(data[:10])), 0, int64(len(data)), `"v1"`, open(p.URL()+"/o"),
		resume.Options{Policy: retry.Policy{MaxAttempts: 3, Base: time.Millisecond}})
	_, err := io.ReadAll(r)
	if err == nil || !errors.Is(err, io.ErrUnexpectedEOF) && err.Error() == "" {
		t.Fatalf("got %v", err)
	}
	t.Logf("error: %v", err)
	// The context ends the reopens.
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	r = resume.New(ctx, io.NopCloser(bytes.NewReader(data[:10])), 0, int64(len(data)), `"v1"`, open(p.URL()+"/o"), resume.Options{Policy: fast})
	if _, err := io.ReadAll(r); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: %v", err)
	}
}
