package oss

import (
	"context"
	"errors"
	"io"
	"net/http"
	"time"

	alioss "github.com/aliyun/aliyun-oss-go-sdk/oss"

	"github.com/stowage/stowage/driver"
	"github.com/stowage/stowage/internal/onewrite"
	"github.com/stowage/stowage/internal/retry"
)

// retryPolicy is how the driver retries: the SDK has no retries of its own
// (its RetryTimes setting is read by nothing), so every request goes
// through internal/retry.
var retryPolicy = retry.Policy{MaxAttempts: 10, Base: 100 * time.Millisecond, Max: 5 * time.Second}

// httpClient returns the SDK's HTTP client: the one of opts (or a pooled
// transport of its own) under internal/retry's Transport.
func httpClient(o driver.Options, c *retry.Counter) *http.Client {
	var next http.RoundTripper
	var timeout time.Duration
	if o.HTTPClient != nil {
		next, timeout = o.HTTPClient.Transport, o.HTTPClient.Timeout
	}
	if next == nil {
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.MaxIdleConnsPerHost = 100
		next = tr
	}
	// Above the retries, a small body is read whole once (internal/onewrite):
	// it goes out with its headers, and internal/retry sends it again from
	// its GetBody instead of keeping a replay copy of its own.
	return &http.Client{Timeout: timeout, Transport: onewrite.Transport{Next: &retry.Transport{
		Next: next, Policy: retryPolicy, Idempotent: idempotent, Counter: c,
		// The SDK sends bodies through its CRC-64 reader, which has no
		// GetBody: kept for a replay, a part would be held twice. Bodies
		// longer than this are sent again by sendAgain instead, from the
		// seekable reader the driver has.
		ReplayLimit: replayLimit,
	}}}
}

// replayLimit is the longest body internal/retry keeps to send again.
const replayLimit = 1 << 20

// sendAgain calls send, and again with body back at its start, while it
// fails with a transient error internal/retry could not repeat (the body
// was longer than replayLimit and had begun to go out).
func (d *Driver) sendAgain(ctx context.Context, op string, body io.Seeker, send func() error) error {
	return retryPolicy.Again(ctx, d.retries, op, body, transient, send)
}

// transient reports whether an OSS call failed in a way that may pass:
// the service busy or failing (5xx, 429), or the connection lost.
func transient(err error) bool {
	var se alioss.ServiceError
	if errors.As(err, &se) {
		return se.StatusCode >= 500 || se.StatusCode == http.StatusTooManyRequests
	}
	var ce alioss.CRCCheckError
	if errors.As(err, &ce) {
		return true // the part arrived damaged: send it again
	}
	return !retry.Permanent(err)
}

// idempotent reports whether a request may be repeated. Every request the
// driver sends may: GET, HEAD, PUT and DELETE are idempotent, and of the
// POSTs, a repeated DeleteMultipleObjects deletes nothing more, a repeated
// InitiateMultipartUpload leaves at most an empty upload (PurgeUploads
// removes it), and a repeated CompleteMultipartUpload whose first answer
// was lost is recognised by store.Complete.
func idempotent(req *http.Request) bool {
	if req.Method != http.MethodPost {
		return true
	}
	q := req.URL.Query()
	return q.Has("uploads") || q.Has("uploadId") || q.Has("delete")
}
