package reqlog

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"sync"
)

// Hold is an http.RoundTripper that holds the first request Match selects,
// its body read whole, as a store that has received a request and not yet
// answered it, until Release or until the client gives up on it (its
// context ends). A request its client gave up on is not sent then but kept,
// and Land sends it: a store stores a request it received whole although
// the client no longer waits for the answer. The tests of what a writer
// leaves behind when its parts are in flight (faulttest's Crash, s3) use
// it.
type Hold struct {
	match func(*http.Request) bool
	next  http.RoundTripper

	got, release chan struct{}
	releaseOnce  sync.Once

	mu   sync.Mutex
	held bool
	late *http.Request // the abandoned request, to be sent by Land
}

// NewHold returns a Hold of the first request match selects; next sends
// the requests (nil means http.DefaultTransport).
func NewHold(match func(*http.Request) bool, next http.RoundTripper) *Hold {
	if next == nil {
		next = http.DefaultTransport
	}
	return &Hold{
		match: match, next: next,
		got: make(chan struct{}), release: make(chan struct{}),
	}
}

// Got is closed once the held request's body has been read whole.
func (h *Hold) Got() <-chan struct{} { return h.got }

// Release lets the held request go on to the store, unless its client gave
// up on it. It may be called more than once.
func (h *Hold) Release() { h.releaseOnce.Do(func() { close(h.release) }) }

// Land sends the request the client gave up on, if there is one, and
// returns once the store has answered it.
func (h *Hold) Land() {
	h.mu.Lock()
	r := h.late
	h.late = nil
	h.mu.Unlock()
	if r == nil {
		return
	}
	if resp, err := h.next.RoundTrip(r); err == nil {
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
	}
}

// RoundTrip implements http.RoundTripper.
func (h *Hold) RoundTrip(r *http.Request) (*http.Response, error) {
	h.mu.Lock()
	hold := !h.held && h.match(r)
	h.held = h.held || hold
	h.mu.Unlock()
	if !hold {
		return h.next.RoundTrip(r)
	}
	var body []byte
	if r.Body != nil {
		var err error
		if body, err = io.ReadAll(r.Body); err != nil {
			return nil, err
		}
		_ = r.Body.Close()
	}
	close(h.got)
	select {
	case <-h.release:
	case <-r.Context().Done():
	}
	sent := r.Clone(context.WithoutCancel(r.Context()))
	sent.Body = io.NopCloser(bytes.NewReader(body))
	sent.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	if err := r.Context().Err(); err != nil {
		h.mu.Lock()
		h.late = sent
		h.mu.Unlock()
		return nil, err
	}
	return h.next.RoundTrip(sent)
}
