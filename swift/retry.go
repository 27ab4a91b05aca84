package swift

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/stowage/stowage/internal/retry"
)

// retryPolicy is how the driver retries: ncw/swift repeats only GET and
// HEAD after a transport error, at once, so every request goes through
// internal/retry.
var retryPolicy = retry.Policy{MaxAttempts: 10, Base: 100 * time.Millisecond, Max: 5 * time.Second}

// maxChecked is the largest PUT body given an ETag by checksummed.
const maxChecked = 5 << 30

// transport returns the connection's transport: next under the retries of
// internal/retry, under checksummed.
func transport(next http.RoundTripper, c *retry.Counter) http.RoundTripper {
	return checksummed{next: &retry.Transport{
		Next: next, Policy: retryPolicy, Counter: c,
		// 422: the body did not match its ETag (see checksummed).
		Statuses: []int{http.StatusUnprocessableEntity},
		// POSTs set metadata (the Temp-URL key): repeating them is harmless.
		Idempotent: func(*http.Request) bool { return true },
	}}
}

// checksummed gives every object PUT with a body an ETag header, the MD5
// of the body, which Swift checks the bytes it stores against (422 when
// they differ): a segment or object damaged on the way is refused, and
// retried. The body is taken whole first (the SDK streams it through a
// watchdog reader): from withBody when the caller holds it in a buffer,
// otherwise read into one; that also lets the retries send it again. Manifests
// (whose ETag means something else), copies and bodies of unknown length
// are left alone.
type checksummed struct{ next http.RoundTripper }

func (c checksummed) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Method != http.MethodPut || req.Body == nil || req.Body == http.NoBody || req.ContentLength <= 0 ||
		req.ContentLength > maxChecked || req.Header.Get("Etag") != "" || req.Header.Get("X-Copy-From") != "" ||
		req.Header.Get("X-Object-Manifest") != "" || req.URL.Query().Has("multipart-manifest") {
		return c.next.RoundTrip(req)
	}
	data, ok := req.Context().Value(bodyKey{}).([]byte)
	var err error
	if !ok || int64(len(data)) != req.ContentLength {
		data, err = readExactly(req.Body, req.ContentLength)
	}
	req.Body.Close()
	if err != nil {
		return nil, err
	}
	sum := md5.Sum(data)
	out := req.Clone(req.Context())
	out.Header.Set("Etag", hex.EncodeToString(sum[:]))
	out.ContentLength = int64(len(data))
	out.Body = io.NopCloser(bytes.NewReader(data))
	out.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }
	return c.next.RoundTrip(out)
}

type bodyKey struct{}

// withBody tells checksummed that a PUT sent with ctx has the bytes b as
// its body, so that it takes them as they are instead of reading the
// body into a copy: a segment the writer holds in a buffer is not copied
// again. Nothing may change b until the request is done.
func withBody(ctx context.Context, b []byte) context.Context {
	return context.WithValue(ctx, bodyKey{}, b)
}

// readExactly reads a body of n bytes into one buffer of n bytes (a
// segment is copied once, not into a buffer grown past it), and refuses a
// body of another length as net/http would.
func readExactly(r io.Reader, n int64) ([]byte, error) {
	data := make([]byte, n)
	if _, err := io.ReadFull(r, data); err != nil {
		return nil, fmt.Errorf("swift: request body shorter than its Content-Length %d: %w", n, err)
	}
	var one [1]byte
	if k, _ := r.Read(one[:]); k > 0 {
		return nil, fmt.Errorf("swift: request body longer than its Content-Length %d", n)
	}
	return data, nil
}
