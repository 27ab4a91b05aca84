package retry

import (
	"io"
	"net/http"
	"sync"
	"time"
)

// A DELETE whose answer was lost (the connection broke after the request
// was sent) may have deleted the object; the SDK then sends it again and
// gets 404. Reported as is, a delete that succeeded would look like a
// delete of nothing (driver.PathNotFoundError). deleted is the answer such
// a repeat gets instead: the object is gone, as asked.
func deleted(req *http.Request, resp *http.Response) *http.Response {
	if resp.Body != nil {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		resp.Body.Close()
	}
	h := http.Header{}
	for _, k := range []string{"Date", "X-Trans-Id", "X-Openstack-Request-Id", "X-Ms-Request-Id", "X-Oss-Request-Id", "X-Guploader-Uploadid"} {
		if v := resp.Header.Get(k); v != "" {
			h.Set(k, v)
		}
	}
	return &http.Response{
		Status: "204 No Content", StatusCode: http.StatusNoContent,
		Proto: resp.Proto, ProtoMajor: resp.ProtoMajor, ProtoMinor: resp.ProtoMinor,
		Header: h, Body: http.NoBody, Request: req,
	}
}

// LostDeletes is an http.RoundTripper under an SDK that retries calls
// itself: a DELETE that the SDK sends again after an attempt whose answer
// was lost, and that then gets 404, is answered 204 (see deleted). Key
// returns the SDK's identifier of a call, the same in each of its
// attempts (cloud.google.com/go/storage's x-goog-gcs-idempotency-token);
// requests without one pass as they are.
type LostDeletes struct {
	Next http.RoundTripper
	Key  func(*http.Request) string

	mu   sync.Mutex
	lost map[string]time.Time // calls with an attempt whose answer was lost
}

// RoundTrip implements http.RoundTripper.
func (l *LostDeletes) RoundTrip(req *http.Request) (*http.Response, error) {
	next := l.Next
	if next == nil {
		next = http.DefaultTransport
	}
	key := ""
	if req.Method == http.MethodDelete {
		key = l.Key(req)
	}
	if key == "" {
		return next.RoundTrip(req)
	}
	resp, err := next.RoundTrip(req)
	l.mu.Lock()
	defer l.mu.Unlock()
	_, lost := l.lost[key]
	switch {
	case err != nil && !Permanent(err):
		if l.lost == nil {
			l.lost = map[string]time.Time{}
		}
		l.sweep()
		l.lost[key] = time.Now()
	case err == nil && resp.StatusCode == http.StatusNotFound && lost:
		delete(l.lost, key)
		return deleted(req, resp), nil
	case err == nil && resp.StatusCode/100 == 2:
		// Answered: the call is over. Any other answer (429, 503, 408)
		// says only that this attempt was not carried out: an earlier
		// attempt whose answer was lost may still have deleted the object.
		delete(l.lost, key)
	}
	return resp, err
}

// sweep forgets calls whose lost attempt is an hour old: the SDK gave
// up on them.
func (l *LostDeletes) sweep() {
	if len(l.lost) < 1024 {
		return
	}
	for k, t := range l.lost {
		if time.Since(t) > time.Hour {
			delete(l.lost, k)
		}
	}
}
