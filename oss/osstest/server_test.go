package osstest_test

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aliyun/aliyun-oss-go-sdk/oss"

	"github.com/stowage/stowage/oss/osstest"
)

func newBucket(t *testing.T, opts osstest.Options, secret string) (*osstest.Server, *oss.Bucket) {
	t.Helper()
	opts.Buckets = append(opts.Buckets, "test-bucket")
	srv := osstest.NewServer(opts)
	t.Cleanup(srv.Close)
	if secret == "" {
		secret = osstest.DefaultAccessKeySecret
	}
	client, err := oss.New(srv.URL, osstest.DefaultAccessKeyID, secret)
	if err != nil {
		t.Fatal(err)
	}
	b, err := client.Bucket("test-bucket")
	if err != nil {
		t.Fatal(err)
	}
	return srv, b
}

func code(err error) string {
	var se oss.ServiceError
	if errors.As(err, &se) {
		return se.Code
	}
	return ""
}

func TestObjects(t *testing.T) {
	srv, b := newBucket(t, osstest.Options{}, "")
	if err := b.PutObject("a/b c+d", strings.NewReader("hello world"), oss.ServerSideEncryption("KMS"), oss.ServerSideEncryptionKeyID("key-1")); err != nil {
		t.Fatal(err)
	}
	rc, err := b.GetObject("a/b c+d", oss.Range(6, 100))
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(rc)
	rc.Close()
	if string(got) != "world" {
		t.Fatalf("range read %q", got)
	}
	h, err := b.GetObjectDetailedMeta("a/b c+d")
	if err != nil {
		t.Fatal(err)
	}
	if h.Get("Content-Length") != "11" || h.Get("x-oss-server-side-encryption") != "KMS" || h.Get("x-oss-server-side-encryption-key-id") != "key-1" {
		t.Fatalf("head: %v", h)
	}
	if info, ok := srv.Object("test-bucket", "a/b c+d"); !ok || info.ServerSideEncryption != "KMS" {
		t.Fatalf("Object: %+v %v", info, ok)
	}
	// Out-of-range with standard behaviour is 416, legacy returns everything.
	if _, err := b.GetObject("a/b c+d", oss.NormalizedRange("11-"), oss.RangeBehavior("standard")); code(err) != "InvalidRange" {
		t.Fatalf("standard out of range: %v", err)
	}
	if _, err := b.GetObjectDetailedMeta("missing"); code(err) != "NoSuchKey" {
		t.Fatalf("head missing: %v", err)
	}
	if _, err := b.GetObject("missing"); code(err) != "NoSuchKey" {
		t.Fatalf("get missing: %v", err)
	}
	if _, err := b.CopyObject("a/b c+d", "copy", oss.ServerSideEncryption("AES256")); err != nil {
		t.Fatal(err)
	}
	if info, _ := srv.Object("test-bucket", "copy"); info.Size != 11 || info.ServerSideEncryption != "AES256" {
		t.Fatalf("copy: %+v", info)
	}
	// A copy on condition of the source's ETag: 412 when it differs.
	if _, err := b.CopyObject("a/b c+d", "copy2", oss.CopySourceIfMatch(`"0123"`)); code(err) != "PreconditionFailed" {
		t.Fatalf("copy if-match another ETag: %v", err)
	}
	if _, err := b.CopyObject("a/b c+d", "copy2", oss.CopySourceIfMatch(h.Get("ETag"))); err != nil {
		t.Fatalf("copy if-match its ETag: %v", err)
	}
	if err := b.PutObject("x", strings.NewReader("x"), oss.ServerSideEncryption("DES")); code(err) != "InvalidEncryptionAlgorithmError" {
		t.Fatalf("bad sse: %v", err)
	}
	res, err := b.DeleteObjects([]string{"copy", "copy2", "a/b c+d", "never"})
	if err != nil || len(res.DeletedObjects) != 4 {
		t.Fatalf("delete objects: %+v %v", res, err)
	}
	if keys := srv.Keys("test-bucket"); len(keys) != 0 {
		t.Fatalf("left: %v", keys)
	}
}

func TestList(t *testing.T) {
	_, b := newBucket(t, osstest.Options{}, "")
	for _, k := range []string{"d/a", "d/b/1", "d/b/2", "d/c", "d-x", "e"} {
		if err := b.PutObject(k, strings.NewReader(k)); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	marker := ""
	for {
		res, err := b.ListObjects(oss.Prefix("d/"), oss.Delimiter("/"), oss.Marker(marker), oss.MaxKeys(1))
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range res.Objects {
			got = append(got, o.Key)
		}
		got = append(got, res.CommonPrefixes...)
		if !res.IsTruncated {
			break
		}
		marker = res.NextMarker
	}
	if strings.Join(got, ",") != "d/a,d/b/,d/c" {
		t.Fatalf("v1 listing: %v", got)
	}
	got = nil
	token := ""
	for {
		res, err := b.ListObjectsV2(oss.StartAfter("d/a"), oss.ContinuationToken(token), oss.MaxKeys(2))
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range res.Objects {
			got = append(got, o.Key)
		}
		if !res.IsTruncated {
			break
		}
		token = res.NextContinuationToken
	}
	if strings.Join(got, ",") != "d/b/1,d/b/2,d/c,e" {
		t.Fatalf("v2 listing: %v", got)
	}
}

func TestMultipart(t *testing.T) {
	srv, b := newBucket(t, osstest.Options{}, "")
	imur, err := b.InitiateMultipartUpload("big", oss.ServerSideEncryption("AES256"))
	if err != nil {
		t.Fatal(err)
	}
	p1 := bytes.Repeat([]byte{'a'}, 200<<10)
	part1, err := b.UploadPart(imur, bytes.NewReader(p1), int64(len(p1)), 1)
	if err != nil {
		t.Fatal(err)
	}
	part2, err := b.UploadPart(imur, strings.NewReader("tail"), 4, 2)
	if err != nil {
		t.Fatal(err)
	}
	ups, err := b.ListMultipartUploads(oss.Prefix("big"))
	if err != nil || len(ups.Uploads) != 1 || ups.Uploads[0].UploadID != imur.UploadID {
		t.Fatalf("list uploads: %+v %v", ups, err)
	}
	parts, err := b.ListUploadedParts(imur)
	if err != nil || len(parts.UploadedParts) != 2 || parts.UploadedParts[0].Size != 200<<10 {
		t.Fatalf("list parts: %+v %v", parts, err)
	}
	// A small part that is not the last one is refused.
	if _, err := b.CompleteMultipartUpload(imur, []oss.UploadPart{part2, {PartNumber: 3, ETag: part2.ETag}}); code(err) != "InvalidPart" {
		t.Fatalf("bad part: %v", err)
	}
	if _, err := b.CompleteMultipartUpload(imur, []oss.UploadPart{part1, part2}); err != nil {
		t.Fatal(err)
	}
	info, _ := srv.Object("test-bucket", "big")
	if info.Size != 200<<10+4 || info.ServerSideEncryption != "AES256" {
		t.Fatalf("completed: %+v", info)
	}
	// UploadPartCopy of a range.
	imur2, err := b.InitiateMultipartUpload("copy")
	if err != nil {
		t.Fatal(err)
	}
	cp, err := b.UploadPartCopy(imur2, "test-bucket", "big", 200<<10, 4, 1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.CompleteMultipartUpload(imur2, []oss.UploadPart{cp}); err != nil {
		t.Fatal(err)
	}
	rc, err := b.GetObject("copy")
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(rc)
	rc.Close()
	if string(got) != "tail" {
		t.Fatalf("copied part: %q", got)
	}
	imur3, _ := b.InitiateMultipartUpload("gone")
	if err := b.AbortMultipartUpload(imur3); err != nil {
		t.Fatal(err)
	}
	if _, err := b.ListUploadedParts(imur3); code(err) != "NoSuchUpload" {
		t.Fatalf("aborted upload: %v", err)
	}
}

func TestSignatures(t *testing.T) {
	_, bad := newBucket(t, osstest.Options{}, "wrong-secret")
	if err := bad.PutObject("k", strings.NewReader("v")); code(err) != "SignatureDoesNotMatch" {
		t.Fatalf("wrong secret: %v", err)
	}
	if _, err := bad.GetObjectDetailedMeta("k"); code(err) != "SignatureDoesNotMatch" {
		t.Fatalf("wrong secret on HEAD: %v", err)
	}

	srv, b := newBucket(t, osstest.Options{}, "")
	if err := b.PutObject("k", strings.NewReader("v")); err != nil {
		t.Fatal(err)
	}
	client, _ := oss.New(srv.URL, "unknown-id", "x")
	ub, _ := client.Bucket("test-bucket")
	if _, err := ub.GetObject("k"); code(err) != "InvalidAccessKeyId" {
		t.Fatalf("unknown key id: %v", err)
	}

	// Tamper with a correctly signed request on its way: change an
	// x-oss- header, the key, a sub-resource, the method.
	for name, tamper := range map[string]func(*http.Request){
		"header": func(r *http.Request) { r.Header.Set("x-oss-meta-added", "1") },
		"key": func(r *http.Request) {
			r.URL.Path += "x"
			r.URL.RawPath = ""
		},
		"subresource": func(r *http.Request) { r.URL.RawQuery = "acl" },
		"date":        func(r *http.Request) { r.Header.Set("Date", time.Now().Add(time.Minute).UTC().Format(http.TimeFormat)) },
	} {
		t.Run(name, func(t *testing.T) {
			var hit atomic.Bool
			hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
				hit.Store(true)
				tamper(r)
				return http.DefaultTransport.RoundTrip(r)
			})}
			client, _ := oss.New(srv.URL, osstest.DefaultAccessKeyID, osstest.DefaultAccessKeySecret, oss.HTTPClient(hc))
			tb, _ := client.Bucket("test-bucket")
			_, err := tb.GetObject("k")
			if !hit.Load() || code(err) != "SignatureDoesNotMatch" {
				t.Fatalf("tampered request: %v", err)
			}
			var se oss.ServiceError
			if errors.As(err, &se) && se.StatusCode != 403 {
				t.Fatalf("status %d", se.StatusCode)
			}
		})
	}

	// Unsigned requests are refused.
	resp, err := http.Get(srv.URL + "/test-bucket/k")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 403 {
		t.Fatalf("anonymous: %d", resp.StatusCode)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestPresignedURLs(t *testing.T) {
	var offset atomic.Int64
	now := func() time.Time { return time.Now().Add(time.Duration(offset.Load())) }
	_, b := newBucket(t, osstest.Options{Now: now}, "")
	if err := b.PutObject("k", strings.NewReader("content")); err != nil {
		t.Fatal(err)
	}
	get, err := b.SignURL("k", oss.HTTPGet, 60)
	if err != nil {
		t.Fatal(err)
	}
	head, err := b.SignURL("k", oss.HTTPHead, 60)
	if err != nil {
		t.Fatal(err)
	}
	status := func(method, u string) int {
		req, _ := http.NewRequest(method, u, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if method == http.MethodGet && resp.StatusCode == 200 {
			body, _ := io.ReadAll(resp.Body)
			if string(body) != "content" {
				t.Fatalf("presigned GET body %q", body)
			}
		}
		return resp.StatusCode
	}
	if s := status(http.MethodGet, get); s != 200 {
		t.Fatalf("presigned GET: %d", s)
	}
	if s := status(http.MethodHead, head); s != 200 {
		t.Fatalf("presigned HEAD: %d", s)
	}
	if s := status(http.MethodHead, get); s != 403 {
		t.Fatalf("GET URL used for HEAD: %d", s)
	}
	if s := status(http.MethodGet, strings.Replace(get, "Signature=", "Signature=A", 1)); s != 403 {
		t.Fatalf("tampered presigned GET: %d", s)
	}
	offset.Store(int64(2 * time.Minute))
	if s := status(http.MethodGet, get); s != 403 {
		t.Fatalf("expired presigned GET: %d", s)
	}
}
