package azure

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"sync/atomic"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/stowage/stowage/internal/retry"
)

// readRetries is how many times a Reader reopens a broken stream in one
// Read (azblob's RetryReader, pinned to the blob's ETag).
const readRetries = 10

// callKey holds, in a request's context, the *call state of one call
// (callPolicy), which each of its tries updates (tryPolicy).
type callKey struct{}

type call struct {
	tries atomic.Int32
	lost  atomic.Bool // a try got no answer: it may have been carried out
}

// callPolicy runs once per call, before azcore's retry policy: it gives
// the call its state.
type callPolicy struct{}

func (callPolicy) Do(req *policy.Request) (*http.Response, error) {
	return req.WithContext(context.WithValue(req.Raw().Context(), callKey{}, &call{})).Next()
}

// tryPolicy runs at every try, after azcore's retry policy: the tries
// after the first are counted as retries; a blob batch answer is read
// whole within the try, so that a cut one is retried like any other (the
// SDK reads it later, outside its retries, POST bodies being retried only
// when read by its own body policy); and a Delete Blob tried again after
// a try whose answer was lost, that then finds no blob, succeeded.
type tryPolicy struct{ c *retry.Counter }

func (p tryPolicy) Do(req *policy.Request) (*http.Response, error) {
	raw := req.Raw()
	ctx := raw.Context()
	c, ok := ctx.Value(callKey{}).(*call)
	if !ok {
		return req.Next()
	}
	if try := c.tries.Add(1); try > 1 {
		p.c.Retry(ctx, retry.Request, int(try), raw.Method+" "+raw.URL.Path, nil)
	}
	resp, err := req.Next()
	switch {
	case err != nil:
		c.lost.Store(true)
	case raw.Method == http.MethodDelete && resp.StatusCode == http.StatusNotFound && c.lost.Load():
		_ = resp.Body.Close()
		return &http.Response{Status: "202 Accepted", StatusCode: http.StatusAccepted, Proto: resp.Proto,
			ProtoMajor: resp.ProtoMajor, ProtoMinor: resp.ProtoMinor, Header: http.Header{}, Body: http.NoBody, Request: raw}, nil
	case resp.StatusCode == http.StatusBadRequest && (resp.Header.Get("x-ms-error-code") == "Md5Mismatch" || resp.Header.Get("x-ms-error-code") == "Crc64Mismatch"):
		// The body arrived damaged: an error, which azcore retries, sending
		// the body again.
		_ = resp.Body.Close()
		return nil, fmt.Errorf("azure: %s %s: the service found the body damaged (%s): sending it again", raw.Method, raw.URL.Path, resp.Header.Get("x-ms-error-code"))
	case raw.Method == http.MethodPost && raw.URL.Query().Get("comp") == "batch" && resp.StatusCode < 300:
		data, rerr := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		if rerr != nil {
			c.lost.Store(true)
			return nil, rerr
		}
		resp.Body = io.NopCloser(bytes.NewReader(data))
	}
	return resp, err
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
