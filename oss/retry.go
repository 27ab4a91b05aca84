package oss

import (
	"net/http"
	"time"

	"github.com/stowage/stowage/driver"
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
	return &http.Client{Timeout: timeout, Transport: &retry.Transport{
		Next: next, Policy: retryPolicy, Idempotent: idempotent, Counter: c,
	}}
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
