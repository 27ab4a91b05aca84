package reqlog

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// TestHold: the held request reaches the server once released; a request
// whose client gives up while held reaches it only through Land, with its
// whole body; other requests pass.
func TestHold(t *testing.T) {
	var bodies atomic.Value
	bodies.Store("")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		bodies.Store(bodies.Load().(string) + r.URL.Path + "=" + string(b) + ";")
	}))
	defer srv.Close()
	put := func(c *http.Client, ctx context.Context, path, body string) error {
		req, _ := http.NewRequestWithContext(ctx, http.MethodPut, srv.URL+path, strings.NewReader(body))
		resp, err := c.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		return err
	}
	held := func(r *http.Request) bool { return r.URL.Path == "/held" }

	h := NewHold(held, nil)
	c := &http.Client{Transport: h}
	done := make(chan error, 1)
	go func() { done <- put(c, context.Background(), "/held", "a") }()
	<-h.Got()
	if err := put(c, context.Background(), "/other", "b"); err != nil {
		t.Fatal(err)
	}
	h.Release()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if got := bodies.Load().(string); got != "/other=b;/held=a;" {
		t.Fatalf("server got %q, want the other request, then the held one once released", got)
	}

	bodies.Store("")
	h = NewHold(held, nil)
	c = &http.Client{Transport: h}
	ctx, cancel := context.WithCancel(context.Background())
	go func() { done <- put(c, ctx, "/held", "late") }()
	<-h.Got()
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("abandoned request: %v, want context.Canceled", err)
	}
	h.Release()
	if got := bodies.Load().(string); got != "" {
		t.Fatalf("server got %q before Land", got)
	}
	h.Land()
	if got := bodies.Load().(string); got != "/held=late;" {
		t.Fatalf("server got %q after Land, want the abandoned request whole", got)
	}
}
