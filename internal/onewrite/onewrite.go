// Package onewrite sends a small request body in the same write as the
// request's headers.
//
// net/http writes a request's headers and its body in one write only when
// it can see that the body is in memory (a *bytes.Reader, *bytes.Buffer or
// *strings.Reader, bare or in io.NopCloser). Every SDK stowage uses wraps
// the body it is given in a reader of its own (OSS's CRC-64 reader, the
// pipe of cloud.google.com/go/storage, smithy's read closer that guards
// against a double close), so net/http flushes the headers and then sends the body: two
// writes, two packets, and on the server two reads for one request. Over
// loopback that costs about 24 µs a request (BenchmarkSmallPut), a tenth of
// a small PutContent against a fast store. Transport and Client read a
// body of known length up to Limit bytes whole before the request goes out
// and send it from memory, so that headers and body go in one write.
//
// The s3, gcs and oss adapters send through it; gcs and oss above
// internal/retry, which then sends a body again from its GetBody and keeps
// no copy of its own. Swift's transport already
// takes every object body whole (for its ETag) and sends it from memory;
// azure's requests go through azcore's own default client, left as it is.
package onewrite

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
)

// Limit is the longest body read whole first. A longer one fills
// net/http's 4 KiB write buffer several times over anyway, and is sent as
// it comes.
const Limit = 64 << 10

// Transport is an http.RoundTripper that sends a body of known length up to
// Limit bytes from a copy in memory, through Next (http.DefaultTransport
// when nil).
type Transport struct {
	Next http.RoundTripper
}

// RoundTrip implements http.RoundTripper.
func (t Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	next := t.Next
	if next == nil {
		next = http.DefaultTransport
	}
	r, err := inMemory(req)
	if err != nil {
		return nil, err
	}
	return next.RoundTrip(r)
}

// Doer sends a request: an *http.Client, an SDK's HTTP client.
type Doer interface {
	Do(*http.Request) (*http.Response, error)
}

// Client returns a Doer that sends through d, a body of known length up to
// Limit bytes from a copy in memory. It is for an SDK whose own client
// (redirect and timeout rules included) must stay as it is.
func Client(d Doer) Doer { return client{d} }

type client struct{ next Doer }

func (c client) Do(req *http.Request) (*http.Response, error) {
	r, err := inMemory(req)
	if err != nil {
		return nil, err
	}
	return c.next.Do(r)
}

// inMemory returns req, or a shallow copy of it whose body is the bytes of
// req's, read whole (and req's body closed, as a transport would).
func inMemory(req *http.Request) (*http.Request, error) {
	if req.Body == nil || req.Body == http.NoBody || req.ContentLength <= 0 || req.ContentLength > Limit {
		return req, nil
	}
	// One byte more than announced: net/http fails a body longer than its
	// ContentLength, and so does this.
	buf := make([]byte, req.ContentLength+1)
	n, err := io.ReadFull(req.Body, buf)
	cerr := req.Body.Close()
	switch {
	case err == nil:
		return nil, fmt.Errorf("http: ContentLength=%d with a longer Body", req.ContentLength)
	case !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF):
		return nil, err
	case int64(n) != req.ContentLength:
		return nil, fmt.Errorf("http: ContentLength=%d with Body length %d", req.ContentLength, n)
	case cerr != nil:
		return nil, cerr
	}
	data := buf[:n]
	r := new(http.Request)
	*r = *req
	r.Body = io.NopCloser(bytes.NewReader(data))
	r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }
	return r, nil
}
