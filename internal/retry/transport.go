package retry

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
)

// Transport repeats requests whose answer is transient; see the package
// documentation.
type Transport struct {
	// Next sends each attempt; nil means http.DefaultTransport.
	Next http.RoundTripper
	// Policy says how often and how long to wait.
	Policy Policy
	// Idempotent reports whether a request may be sent more than once.
	// Nil means every method but POST and PATCH.
	Idempotent func(*http.Request) bool
	// BufferLimit is the largest response body read whole before it is
	// returned (and retried when cut); zero means 1 MiB, negative none.
	BufferLimit int64
	// ReplayLimit is the largest request body without GetBody kept for a
	// replay as it is sent; zero means 64 MiB. A longer one is not
	// repeated once sending has begun.
	ReplayLimit int64
	// Counter counts and logs the retries; nil counts nothing.
	Counter *Counter
	// Statuses are more response statuses to retry, such as Swift's 422
	// for a body that does not match the ETag it came with.
	Statuses []int
}

// RoundTrip implements http.RoundTripper.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	next := t.Next
	if next == nil {
		next = http.DefaultTransport
	}
	if !t.idempotent(req) {
		return next.RoundTrip(req)
	}
	ctx := req.Context()
	body, err := t.newBody(req)
	if err != nil {
		return nil, err
	}
	defer body.close()
	attempts := t.Policy.Attempts()
	lost := false // an attempt got no answer: it may have been carried out
	for attempt := 1; ; attempt++ {
		try := req
		if attempt > 1 || body.rep != nil {
			try = req.Clone(ctx)
			if try.Body, err = body.open(); err != nil {
				return nil, err
			}
		}
		resp, err := next.RoundTrip(try)
		if err == nil && lost && req.Method == http.MethodDelete && resp.StatusCode == http.StatusNotFound {
			return deleted(req, resp), nil
		}
		lost = lost || err != nil
		cause := transient(resp, err)
		if cause == nil && err == nil && slices.Contains(t.Statuses, resp.StatusCode) {
			cause = fmt.Errorf("HTTP %s", resp.Status)
		}
		if cause == nil && resp != nil {
			cause = t.buffer(req, resp)
		}
		if cause == nil {
			return resp, err
		}
		if attempt >= attempts || ctx.Err() != nil || !body.canReplay() {
			if resp != nil && resp.Body == nil {
				// buffer consumed a cut body: report the cut.
				return nil, cause
			}
			return resp, err
		}
		if resp != nil && resp.Body != nil {
			_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
			resp.Body.Close()
		}
		t.Counter.Retry(ctx, Request, attempt+1, req.Method+" "+req.URL.Path, cause)
		if Sleep(ctx, t.Policy.Delay(attempt)) != nil {
			return nil, fmt.Errorf("%w (the last attempt: %w)", ctx.Err(), cause)
		}
	}
}

func (t *Transport) idempotent(req *http.Request) bool {
	if t.Idempotent != nil {
		return t.Idempotent(req)
	}
	return req.Method != http.MethodPost && req.Method != http.MethodPatch
}

// buffer reads a response body of up to BufferLimit bytes whole before
// the response is returned, so that a cut there (a listing, an error
// document, an upload's answer) is seen here; a body of unknown length is
// read up to BufferLimit, and a longer one then streams on; a body of known
// length above BufferLimit (an object read) streams untouched. It returns
// the cut, with resp.Body set to nil, or nil with resp.Body replaced by the
// bytes read (followed by the rest).
func (t *Transport) buffer(req *http.Request, resp *http.Response) error {
	return buffer(req, resp, t.BufferLimit)
}

// Buffered is an http.RoundTripper that reads every response body of up to
// Limit bytes (1 MiB when zero; of unknown length, its first Limit bytes)
// whole before returning the response, and returns a cut there as the
// request's error: under an SDK that retries transport errors but not an
// answer cut short (cloud.google.com/go/storage decodes the JSON of a
// finished upload after its retries), the cut is retried like a reset. A
// longer body (an object read) streams untouched: the SDK's reader resumes
// it.
type Buffered struct {
	Next  http.RoundTripper
	Limit int64
}

// RoundTrip implements http.RoundTripper.
func (b *Buffered) RoundTrip(req *http.Request) (*http.Response, error) {
	next := b.Next
	if next == nil {
		next = http.DefaultTransport
	}
	resp, err := next.RoundTrip(req)
	if err != nil {
		return resp, err
	}
	if err := buffer(req, resp, b.Limit); err != nil {
		return nil, err
	}
	return resp, nil
}

func buffer(req *http.Request, resp *http.Response, limit int64) error {
	if limit == 0 {
		limit = 1 << 20
	}
	if limit < 0 || req.Method == http.MethodHead || resp.Body == nil || resp.Body == http.NoBody || resp.ContentLength == 0 {
		return nil
	}
	if resp.ContentLength > limit {
		// An object read: it streams, and the reader resumes a cut
		// (internal/resume, the SDK's own reader), so nothing is held here.
		return nil
	}
	var data []byte
	var err error
	if resp.ContentLength > 0 {
		// Known length: read into a buffer of exactly that size.
		data = make([]byte, resp.ContentLength)
		_, err = io.ReadFull(resp.Body, data)
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
	} else {
		data, err = io.ReadAll(io.LimitReader(resp.Body, limit+1))
	}
	if err != nil {
		resp.Body.Close()
		resp.Body = nil
		return fmt.Errorf("reading the response: %w", err)
	}
	if int64(len(data)) <= limit {
		resp.Body.Close()
		resp.Body = io.NopCloser(bytes.NewReader(data))
		return nil
	}
	// Unknown length, longer than limit: what was read, then the rest.
	resp.Body = &prefixed{Reader: io.MultiReader(bytes.NewReader(data), resp.Body), c: resp.Body}
	return nil
}

type prefixed struct {
	io.Reader
	c io.Closer
}

func (p *prefixed) Close() error { return p.c.Close() }

// transient returns why an attempt should be made again, or nil.
func transient(resp *http.Response, err error) error {
	if err != nil {
		if Permanent(err) {
			return nil
		}
		return err
	}
	switch resp.StatusCode {
	case http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable,
		http.StatusGatewayTimeout, http.StatusTooManyRequests, http.StatusRequestTimeout:
		return fmt.Errorf("HTTP %s", resp.Status)
	}
	return nil
}

// Permanent reports whether a transport error will not go away by
// trying again: a cancelled or expired context, a certificate the client
// does not trust, a TLS handshake with something that does not speak TLS,
// a host name that does not resolve.
func Permanent(err error) bool {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var unknownCA x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var invalid x509.CertificateInvalidError
	var verify *tls.CertificateVerificationError
	var record tls.RecordHeaderError
	var dns *net.DNSError
	switch {
	case errors.As(err, &unknownCA), errors.As(err, &hostname), errors.As(err, &invalid),
		errors.As(err, &verify), errors.As(err, &record):
		return true
	case errors.As(err, &dns) && dns.IsNotFound:
		return true
	case strings.Contains(err.Error(), "server gave HTTP response to HTTPS client"):
		return true
	}
	return false
}

// body gives each attempt the request body from the start.
type body struct {
	req *http.Request
	rep *replay // for a body without GetBody
}

func (t *Transport) newBody(req *http.Request) (*body, error) {
	b := &body{req: req}
	if req.Body == nil || req.Body == http.NoBody || req.GetBody != nil {
		return b, nil
	}
	limit := t.ReplayLimit
	if limit == 0 {
		limit = 64 << 20
	}
	b.rep = &replay{src: req.Body, limit: limit, keep: req.ContentLength <= limit}
	return b, nil
}

func (b *body) canReplay() bool { return b.rep == nil || b.rep.replayable() }

func (b *body) open() (io.ReadCloser, error) {
	switch {
	case b.rep != nil:
		return b.rep.reader(), nil
	case b.req.GetBody != nil:
		return b.req.GetBody()
	default:
		return b.req.Body, nil // none
	}
}

func (b *body) close() {
	if b.rep != nil {
		b.rep.close()
	}
}

// replay keeps what was read of a body so that a new attempt sends it
// again before the rest. Each attempt reads through its own reader; the
// readers of earlier attempts (which a transport may still read from for a
// while) are cut off.
type replay struct {
	mu     sync.Mutex
	src    io.ReadCloser
	limit  int64
	keep   bool // buf holds every byte read from src
	buf    []byte
	read   int64 // bytes read from src
	gen    int
	closed bool
}

var errStale = errors.New("retry: body of an abandoned attempt")

func (r *replay) replayable() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.keep || r.read == 0
}

func (r *replay) reader() io.ReadCloser {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.gen++
	return &replayReader{r: r, gen: r.gen}
}

func (r *replay) close() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.closed {
		r.closed = true
		r.gen++
		r.buf = nil
		_ = r.src.Close()
	}
}

type replayReader struct {
	r   *replay
	gen int
	off int64
}

func (rr *replayReader) Read(p []byte) (int, error) {
	r := rr.r
	r.mu.Lock()
	defer r.mu.Unlock()
	if rr.gen != r.gen {
		return 0, errStale
	}
	if rr.off < r.read {
		if !r.keep {
			return 0, errStale
		}
		n := copy(p, r.buf[rr.off:])
		rr.off += int64(n)
		return n, nil
	}
	n, err := r.src.Read(p)
	if n > 0 {
		if r.keep {
			if r.read+int64(n) > r.limit {
				r.keep, r.buf = false, nil
			} else {
				r.buf = append(r.buf, p[:n]...)
			}
		}
		r.read += int64(n)
		rr.off += int64(n)
	}
	return n, err
}

// Close does not close the body: the transport closes each attempt's, and
// the body is closed when the request is done.
func (rr *replayReader) Close() error { return nil }
