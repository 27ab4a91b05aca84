package retry_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.opentelemetry.io/otel/metric/noop"

	"github.com/stowage/stowage/conformance/faultproxy"
	"github.com/stowage/stowage/internal/retry"
)

// store is a tiny object store: PUT keeps the body, GET returns it, POST
// counts.
type store struct {
	mu    sync.Mutex
	objs  map[string][]byte
	posts atomic.Int64
}

func startStore(t *testing.T) (*store, *httptest.Server) {
	s := &store{objs: map[string][]byte{}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodPut:
			b, err := io.ReadAll(r.Body)
			if err != nil {
				return
			}
			s.mu.Lock()
			s.objs[r.URL.Path] = b
			s.mu.Unlock()
		case http.MethodPost:
			s.posts.Add(1)
		default:
			s.mu.Lock()
			b, ok := s.objs[r.URL.Path]
			s.mu.Unlock()
			if !ok {
				http.NotFound(w, r)
				return
			}
			_, _ = w.Write(b)
		}
	}))
	t.Cleanup(srv.Close)
	return s, srv
}

func proxy(t *testing.T, target string, rate float64, faults ...faultproxy.Fault) *faultproxy.Proxy {
	t.Helper()
	p, err := faultproxy.Start(faultproxy.Config{Target: target, Seed: 42, Rate: rate, Faults: faults})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Close() })
	return p
}

func client(counter *retry.Counter) *http.Client {
	return &http.Client{Transport: &retry.Transport{
		Next:    &http.Transport{DisableKeepAlives: false},
		Policy:  retry.Policy{MaxAttempts: 20, Base: time.Millisecond, Max: 10 * time.Millisecond},
		Counter: counter,
	}}
}

// TestThroughFaults puts and gets objects through 40 % of transient
// faults; the bodies have no GetBody (wrapped as SDKs wrap them), so they
// are replayed from what was sent.
func TestThroughFaults(t *testing.T) {
	s, srv := startStore(t)
	p := proxy(t, srv.URL, 0.4)
	c := client(retry.NewCounter("test", discard(), noop.NewMeterProvider()))
	ctx := t.Context()
	for i := range 30 {
		data := bytes.Repeat([]byte{byte(i)}, 1+i*37000)
		path := "/obj" + strings.Repeat("x", i)
		req, _ := http.NewRequestWithContext(ctx, http.MethodPut, p.URL()+path, io.NopCloser(bytes.NewReader(data)))
		req.ContentLength = int64(len(data))
		req.GetBody = nil
		resp, err := c.Do(req)
		if err != nil {
			t.Fatalf("PUT %d: %v", i, err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("PUT %d: %s", i, resp.Status)
		}
		s.mu.Lock()
		stored := s.objs[path]
		s.mu.Unlock()
		if sha256.Sum256(stored) != sha256.Sum256(data) {
			t.Fatalf("PUT %d stored %d bytes, not the %d sent", i, len(stored), len(data))
		}
		req, _ = http.NewRequestWithContext(ctx, http.MethodGet, p.URL()+path, nil)
		resp, err = c.Do(req)
		if err != nil {
			t.Fatalf("GET %d: %v", i, err)
		}
		got, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("GET %d: %d bytes, %v", i, len(got), err)
		}
	}
	if p.Stats().Total() == 0 {
		t.Fatal("no fault injected")
	}
	t.Logf("proxy: %v", p.Stats())
}

func TestPostNotRepeated(t *testing.T) {
	s, srv := startStore(t)
	p := proxy(t, srv.URL, 1, faultproxy.ResetResponse)
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, p.URL()+"/x?uploads", nil)
	if _, err := client(nil).Do(req); err == nil {
		t.Fatal("POST through a reset succeeded")
	}
	if n := s.posts.Load(); n != 1 {
		t.Fatalf("POST sent %d times, want 1", n)
	}
}

func TestGivesUp(t *testing.T) {
	_, srv := startStore(t)
	p := proxy(t, srv.URL, 1, faultproxy.SlowDown)
	c := &http.Client{Transport: &retry.Transport{Policy: retry.Policy{MaxAttempts: 3, Base: time.Millisecond}}}
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, p.URL()+"/x", nil)
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || p.Stats().Requests != 3 {
		t.Fatalf("got %s after %d requests, want the last 503 after 3", resp.Status, p.Stats().Requests)
	}
	// The context bounds the waits.
	c.Transport.(*retry.Transport).Policy = retry.Policy{MaxAttempts: 1000, Base: time.Second, Max: time.Second}
	ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
	defer cancel()
	req, _ = http.NewRequestWithContext(ctx, http.MethodGet, p.URL()+"/x", nil)
	if resp, err := c.Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("got %s past the context's deadline", resp.Status)
	}
}

func TestTLSNotRetried(t *testing.T) {
	srv := httptest.NewTLSServer(http.NotFoundHandler())
	defer srv.Close()
	c := &http.Client{Transport: &retry.Transport{Policy: retry.Policy{MaxAttempts: 5, Base: time.Second}}}
	counter := retry.NewCounter("test", discard(), noop.NewMeterProvider())
	c.Transport.(*retry.Transport).Counter = counter
	_, err := c.Get(srv.URL)
	if err == nil || !retry.Permanent(err) {
		t.Fatalf("untrusted certificate: %v, want a permanent error", err)
	}
}

func discard() *slog.Logger { return slog.New(slog.DiscardHandler) }
