package oss_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	alioss "github.com/aliyun/aliyun-oss-go-sdk/oss"

	"github.com/stowage/stowage/configmap"
	"github.com/stowage/stowage/driver"
	"github.com/stowage/stowage/oss"
	"github.com/stowage/stowage/oss/osstest"
)

const testBucket = "stowage-test"

func startServer(t testing.TB) *osstest.Server {
	t.Helper()
	srv := osstest.NewServer(osstest.Options{Buckets: []string{testBucket}})
	t.Cleanup(srv.Close)
	return srv
}

// tb is what open needs of a test; testing.TB and conformance.TB have it.
type tb interface {
	Helper()
	Fatalf(format string, args ...any)
	Context() context.Context
}

func params(srv *osstest.Server, root string, extra map[string]any) map[string]any {
	p := map[string]any{
		"accesskeyid":     osstest.DefaultAccessKeyID,
		"accesskeysecret": osstest.DefaultAccessKeySecret,
		"region":          "oss-cn-hangzhou",
		"bucket":          testBucket,
		"endpoint":        srv.URL,
		"rootdirectory":   root,
		"chunksize":       "5MiB",
	}
	for k, v := range extra {
		p[k] = v
	}
	return p
}

func open(t tb, srv *osstest.Server, root string, extra map[string]any) driver.StorageDriver {
	t.Helper()
	d, err := driver.Open(t.Context(), "oss", params(srv, root, extra))
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	return d
}

func TestEncryptionHeaders(t *testing.T) {
	srv := startServer(t)
	ctx := t.Context()
	client, err := alioss.New(srv.URL, osstest.DefaultAccessKeyID, osstest.DefaultAccessKeySecret)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := client.Bucket(testBucket)
	for _, tc := range []struct {
		name       string
		extra      map[string]any
		sse, keyID string
	}{
		{"none", nil, "", ""},
		{"aes256", map[string]any{"encrypt": true}, "AES256", ""},
		{"kms", map[string]any{"encrypt": true, "encryptionkeyid": "key-42"}, "KMS", "key-42"},
		{"kms-multipart-copy", map[string]any{"encrypt": true, "encryptionkeyid": "key-43", "multipartcopythresholdsize": 0}, "KMS", "key-43"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := open(t, srv, "sse-"+tc.name, tc.extra)
			check := func(path string) {
				t.Helper()
				h, err := raw.GetObjectDetailedMeta("sse-" + tc.name + path)
				if err != nil {
					t.Fatal(err)
				}
				if got := h.Get("x-oss-server-side-encryption"); got != tc.sse {
					t.Errorf("%s: x-oss-server-side-encryption = %q, want %q", path, got, tc.sse)
				}
				if got := h.Get("x-oss-server-side-encryption-key-id"); got != tc.keyID {
					t.Errorf("%s: x-oss-server-side-encryption-key-id = %q, want %q", path, got, tc.keyID)
				}
			}
			if err := d.PutContent(ctx, "/put", []byte("x")); err != nil {
				t.Fatal(err)
			}
			check("/put")
			// Small writer: PutObject at commit.
			w, _ := d.Writer(ctx, "/small", false)
			_, _ = w.Write([]byte("small"))
			if err := w.Commit(ctx); err != nil {
				t.Fatal(err)
			}
			check("/small")
			// Multipart writer.
			w, _ = d.Writer(ctx, "/multi", false)
			_, _ = w.Write(make([]byte, 6<<20))
			if err := w.Commit(ctx); err != nil {
				t.Fatal(err)
			}
			check("/multi")
			// Moves.
			if err := d.Move(ctx, "/multi", "/moved"); err != nil {
				t.Fatal(err)
			}
			check("/moved")
			// Resumed writer's tail object is encrypted too.
			w, _ = d.Writer(ctx, "/tail", false)
			_, _ = w.Write([]byte("tail"))
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			if info, ok := srv.Object(testBucket, "sse-"+tc.name+"/~uploads/tail~state"); !ok || info.ServerSideEncryption != tc.sse {
				t.Errorf("upload state object: %+v %v", info, ok)
			}
		})
	}
}

func TestWrongSecret(t *testing.T) {
	srv := startServer(t)
	d := open(t, srv, "auth", map[string]any{"accesskeysecret": "not-the-secret"})
	ctx := t.Context()
	check := func(op string, err error) {
		t.Helper()
		if err == nil || driver.IsNotFound(err) {
			t.Fatalf("%s with a wrong secret: %v (want an authentication error)", op, err)
		}
		var se alioss.ServiceError
		if !errors.As(err, &se) || se.Code != "SignatureDoesNotMatch" || se.StatusCode != 403 {
			t.Fatalf("%s: %v, want SignatureDoesNotMatch", op, err)
		}
	}
	_, err := d.Stat(ctx, "/missing")
	check("Stat", err)
	_, err = d.GetContent(ctx, "/missing")
	check("GetContent", err)
	_, err = d.Reader(ctx, "/missing", 10)
	check("Reader", err)
	_, err = d.List(ctx, "/")
	check("List", err)
	check("Delete", d.Delete(ctx, "/missing"))
	check("Move", d.Move(ctx, "/missing", "/x"))
	_, err = d.Writer(ctx, "/w", true)
	check("Writer", err)
	check("PutContent", d.PutContent(ctx, "/x", nil))
	check("Walk", d.Walk(ctx, "/", func(driver.FileInfo) error { return nil }))

	d = open(t, srv, "auth", map[string]any{"accesskeyid": "someone-else"})
	_, err = d.Stat(ctx, "/missing")
	var se alioss.ServiceError
	if !errors.As(err, &se) || se.Code != "InvalidAccessKeyId" || driver.IsNotFound(err) {
		t.Fatalf("unknown access key: %v", err)
	}
	if strings.Contains(err.Error(), "not-the-secret") || strings.Contains(err.Error(), osstest.DefaultAccessKeySecret) {
		t.Fatalf("secret in error: %v", err)
	}
}

func TestRedirectURL(t *testing.T) {
	srv := startServer(t)
	d := open(t, srv, "redirect", nil)
	ctx := t.Context()
	if err := d.PutContent(ctx, "/obj", []byte("payload")); err != nil {
		t.Fatal(err)
	}
	for _, method := range []string{http.MethodGet, http.MethodHead} {
		u, err := d.RedirectURL(httptest.NewRequest(method, "/", nil), "/obj")
		if err != nil || u == "" {
			t.Fatalf("%s: %q %v", method, u, err)
		}
		if !strings.Contains(u, "Expires=") || !strings.Contains(u, "OSSAccessKeyId=") || !strings.Contains(u, "Signature=") {
			t.Fatalf("not a presigned URL: %s", u)
		}
		req, _ := http.NewRequestWithContext(ctx, method, u, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || (method == http.MethodGet && string(body) != "payload") {
			t.Fatalf("%s %s: %d %q", method, u, resp.StatusCode, body)
		}
	}
	if u, err := d.RedirectURL(httptest.NewRequest(http.MethodPut, "/", nil), "/obj"); u != "" || err != nil {
		t.Fatalf("PUT redirect: %q %v", u, err)
	}
}

func TestPurgeUploads(t *testing.T) {
	srv := startServer(t)
	d := open(t, srv, "purge", nil)
	ctx := t.Context()
	w, _ := d.Writer(ctx, "/a", false)
	_, _ = w.Write([]byte("abc"))
	_ = w.Close()
	n, err := driver.PurgeUploads(ctx, d, time.Hour)
	if err != nil || n != 0 {
		t.Fatalf("purge young: %d %v", n, err)
	}
	n, err = driver.PurgeUploads(ctx, d, -time.Minute)
	if err != nil || n != 1 {
		t.Fatalf("purge: %d %v", n, err)
	}
	if ups, keys := srv.Uploads(testBucket), srv.Keys(testBucket); len(ups) != 0 || len(keys) != 0 {
		t.Fatalf("left: %v %v", ups, keys)
	}
}

func TestBadParams(t *testing.T) {
	srv := startServer(t)
	for _, tc := range []struct {
		param string
		value any
	}{
		{"accesskeyid", ""},
		{"accesskeyid", "has space"},
		{"accesskeysecret", ""},
		{"region", ""},
		{"region", "Hangzhou"},
		{"region", "oss cn"},
		{"bucket", ""},
		{"bucket", "Upper_Case"},
		{"bucket", "ab"},
		{"endpoint", "ftp://oss.example.com"},
		{"endpoint", "http://"},
		{"endpoint", "oss.example.com/path"},
		{"internal", "maybe"},
		{"encrypt", "perhaps"},
		{"encryptionkeyid", "key-without-encrypt"},
		{"secure", "sometimes"},
		{"chunksize", "1MiB"},
		{"chunksize", "6GiB"},
		{"chunksize", "big"},
		{"rootdirectory", "has space"},
		{"rootdirectory", "a//b"},
		{"multipartcopythresholdsize", "2GiB"},
		{"multipartcopythresholdsize", -1},
		{"multipartcopychunksize", "1MiB"},
		{"unknownparam", "x"},
	} {
		t.Run(tc.param, func(t *testing.T) {
			p := params(srv, "bad", map[string]any{tc.param: tc.value})
			if tc.value == "" {
				delete(p, tc.param)
			}
			_, err := driver.Open(t.Context(), "oss", p)
			if err == nil {
				t.Fatalf("%s=%v accepted", tc.param, tc.value)
			}
			var ce *configmap.Error
			if !errors.As(err, &ce) || ce.Param != tc.param {
				t.Fatalf("%s=%v: error %v does not name the parameter", tc.param, tc.value, err)
			}
			if strings.Contains(err.Error(), osstest.DefaultAccessKeySecret) {
				t.Fatalf("secret in error: %v", err)
			}
		})
	}
	// No request reached the server.
	if keys := srv.Keys(testBucket); len(keys) != 0 {
		t.Fatalf("keys: %v", keys)
	}
}

func TestEndpointDerivation(t *testing.T) {
	for _, tc := range []struct {
		extra map[string]any
		want  string
	}{
		{map[string]any{}, "https://oss-cn-hangzhou.aliyuncs.com"},
		{map[string]any{"internal": true}, "https://oss-cn-hangzhou-internal.aliyuncs.com"},
		{map[string]any{"secure": false}, "http://oss-cn-hangzhou.aliyuncs.com"},
		{map[string]any{"region": "cn-beijing"}, "https://oss-cn-beijing.aliyuncs.com"},
		{map[string]any{"endpoint": "oss.example.com"}, "https://oss.example.com"},
		{map[string]any{"endpoint": "oss.example.com:8080", "secure": false}, "http://oss.example.com:8080"},
		{map[string]any{"endpoint": "http://10.0.0.1:9000"}, "http://10.0.0.1:9000"},
	} {
		p := map[string]any{"accesskeyid": "id", "accesskeysecret": "secret", "region": "oss-cn-hangzhou", "bucket": "my-bucket"}
		for k, v := range tc.extra {
			p[k] = v
		}
		var params oss.Params
		if err := configmap.Decode(p, &params); err != nil {
			t.Fatal(err)
		}
		if got := params.ResolvedEndpoint(); got != tc.want {
			t.Errorf("%v: endpoint %q, want %q", tc.extra, got, tc.want)
		}
	}
}

// TestLegacyUploadsPurged checks the migration from the layout before the
// shared one: a closed upload was a multipart upload plus a tail object
// beside the root ("<root>.uploads/<upload ID>"). Such uploads are not
// resumed; PurgeUploads aborts the multipart upload and deletes the tail.
func TestLegacyUploadsPurged(t *testing.T) {
	srv := startServer(t)
	ctx := t.Context()
	client, err := alioss.New(srv.URL, osstest.DefaultAccessKeyID, osstest.DefaultAccessKeySecret)
	if err != nil {
		t.Fatal(err)
	}
	bucket, err := client.Bucket(testBucket)
	if err != nil {
		t.Fatal(err)
	}
	imur, err := bucket.InitiateMultipartUpload("legacy/blob")
	if err != nil {
		t.Fatal(err)
	}
	if err := bucket.PutObject("legacy.uploads/"+imur.UploadID, strings.NewReader("old tail")); err != nil {
		t.Fatal(err)
	}
	d := open(t, srv, "legacy", nil)
	if _, err := d.Writer(ctx, "/blob", true); !driver.IsNotFound(err) {
		t.Fatalf("legacy upload resumed: %v, want PathNotFoundError", err)
	}
	if n, err := driver.PurgeUploads(ctx, d, -time.Minute); err != nil || n != 1 {
		t.Fatalf("PurgeUploads = %d, %v; want the legacy upload", n, err)
	}
	if ups, keys := srv.Uploads(testBucket), srv.Keys(testBucket); len(ups) != 0 || len(keys) != 0 {
		t.Fatalf("left after purge: %v %v", ups, keys)
	}
}
