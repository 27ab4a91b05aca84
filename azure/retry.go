package azure

import (
	"context"
	"crypto/md5"
	"encoding/base64"
	"io"
	"net/http"
	"sync/atomic"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/stowage/stowage/internal/retry"
)

// readRetries is how many times a Reader reopens a broken stream in one
// Read (azblob's RetryReader, pinned to the blob's ETag).
const readRetries = 10

// attemptsKey holds, in a request's context, the number of tries of one
// call, counted by tryCounter.
type attemptsKey struct{}

// callPolicy runs once per call, before azcore's retry policy: it gives
// the call a try counter.
type callPolicy struct{}

func (callPolicy) Do(req *policy.Request) (*http.Response, error) {
	var n atomic.Int32
	return req.WithContext(context.WithValue(req.Raw().Context(), attemptsKey{}, &n)).Next()
}

// tryPolicy runs at every try, after azcore's retry policy: the tries
// after the first are counted as retries.
type tryPolicy struct{ c *retry.Counter }

func (p tryPolicy) Do(req *policy.Request) (*http.Response, error) {
	ctx := req.Raw().Context()
	if n, ok := ctx.Value(attemptsKey{}).(*atomic.Int32); ok {
		if try := n.Add(1); try > 1 {
			p.c.Retry(ctx, retry.Request, int(try), req.Raw().Method+" "+req.Raw().URL.Path, nil)
		}
	}
	return req.Next()
}

// contentMD5 is the header key azblob's shared key signer reads, not in
// the canonical form of http.Header's methods.
var contentMD5 = "Content-MD5"

// md5Policy gives every Put Blob, Put Block and Put Block List that has a
// body and no checksum of its own a Content-MD5, which the service checks
// the bytes it receives against (a block damaged on the way is refused,
// and retried). It runs once per call, before the request is signed.
type md5Policy struct{}

func (md5Policy) Do(req *policy.Request) (*http.Response, error) {
	raw := req.Raw()
	if raw.Method != http.MethodPut || req.Body() == nil || raw.ContentLength <= 0 ||
		raw.Header.Get("Content-MD5") != "" || len(raw.Header[contentMD5]) > 0 || raw.Header.Get("x-ms-content-crc64") != "" ||
		raw.Header.Get("x-ms-copy-source") != "" {
		return req.Next()
	}
	h := md5.New()
	if _, err := io.Copy(h, req.Body()); err != nil {
		return nil, err
	}
	if err := req.RewindBody(); err != nil {
		return nil, err
	}
	// Set under the key azblob's signer looks up as is (not the
	// canonical "Content-Md5" of Header.Set), so that it is signed.
	raw.Header[contentMD5] = []string{base64.StdEncoding.EncodeToString(h.Sum(nil))}
	return req.Next()
}
