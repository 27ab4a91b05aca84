package retry_test

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"testing"

	"github.com/stowage/stowage/internal/retry"
)

// answer is a next hop that answers every request with resp (a unit test
// of a RoundTripper: no server is needed to hand it a response).
type answer func() *http.Response

func (a answer) RoundTrip(*http.Request) (*http.Response, error) { return a(), nil }

// countingBody counts what is read of it.
type countingBody struct {
	r    io.Reader
	read int
}

func (c *countingBody) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.read += n
	return n, err
}

func (c *countingBody) Close() error { return nil }

// TestBufferedBodies: Buffered reads an answer of up to Limit bytes whole
// and turns a cut there into the request's error; a body of known length
// above Limit (an object read) reaches the caller untouched, not one byte
// read; a body of unknown length above Limit arrives whole.
func TestBufferedBodies(t *testing.T) {
	const limit = 1 << 10
	get, _ := http.NewRequest(http.MethodGet, "http://store.invalid/o", nil)
	payload := bytes.Repeat([]byte("0123456789abcdef"), 256) // 4 KiB

	t.Run("answer cut short", func(t *testing.T) {
		b := &retry.Buffered{Limit: limit, Next: answer(func() *http.Response {
			return &http.Response{StatusCode: 200, ContentLength: 500, Body: io.NopCloser(bytes.NewReader(payload[:300]))}
		})}
		resp, err := b.RoundTrip(get)
		if !errors.Is(err, io.ErrUnexpectedEOF) || resp != nil {
			t.Fatalf("a 500-byte answer cut at 300: resp %v, err %v; want io.ErrUnexpectedEOF", resp, err)
		}
	})
	t.Run("answer read whole", func(t *testing.T) {
		body := &countingBody{r: bytes.NewReader(payload[:500])}
		b := &retry.Buffered{Limit: limit, Next: answer(func() *http.Response {
			return &http.Response{StatusCode: 200, ContentLength: 500, Body: body}
		})}
		resp, err := b.RoundTrip(get)
		if err != nil {
			t.Fatal(err)
		}
		if body.read != 500 {
			t.Errorf("the transport read %d bytes of a 500-byte answer before returning it, want all", body.read)
		}
		if got, _ := io.ReadAll(resp.Body); !bytes.Equal(got, payload[:500]) {
			t.Errorf("body %q", got)
		}
	})
	t.Run("object read streams", func(t *testing.T) {
		body := &countingBody{r: bytes.NewReader(payload)}
		b := &retry.Buffered{Limit: limit, Next: answer(func() *http.Response {
			return &http.Response{StatusCode: 200, ContentLength: int64(len(payload)), Body: body}
		})}
		resp, err := b.RoundTrip(get)
		if err != nil {
			t.Fatal(err)
		}
		if body.read != 0 {
			t.Errorf("the transport read %d bytes of a %d-byte object before returning it, want none", body.read, len(payload))
		}
		if got, _ := io.ReadAll(resp.Body); !bytes.Equal(got, payload) {
			t.Errorf("body of %d bytes, want the %d sent", len(got), len(payload))
		}
	})
	t.Run("unknown length", func(t *testing.T) {
		b := &retry.Buffered{Limit: limit, Next: answer(func() *http.Response {
			return &http.Response{StatusCode: 200, ContentLength: -1, Body: io.NopCloser(bytes.NewReader(payload))}
		})}
		resp, err := b.RoundTrip(get)
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := io.ReadAll(resp.Body); !bytes.Equal(got, payload) {
			t.Errorf("body of %d bytes, want the %d sent", len(got), len(payload))
		}
	})
}
