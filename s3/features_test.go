package s3

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/stowage/stowage/conformance/emulator"
	"github.com/stowage/stowage/driver"
)

func randomBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return b
}

func newRoot(t testing.TB) string {
	return "t-" + strings.ToLower(strings.NewReplacer("/", "-", "_", "-").Replace(t.Name())) + fmt.Sprintf("-%d", time.Now().UnixNano())
}

func ctx(t testing.TB) context.Context { return t.Context() }

func write(t testing.TB, d driver.StorageDriver, path string, appendMode bool, data []byte, commit bool) driver.FileWriter {
	t.Helper()
	w, err := d.Writer(ctx(t), path, appendMode)
	if err != nil {
		t.Fatalf("Writer(%s, %v): %v", path, appendMode, err)
	}
	if _, err := w.Write(data); err != nil {
		t.Fatalf("Write: %v", err)
	}
	if commit {
		if err := w.Commit(ctx(t)); err != nil {
			t.Fatalf("Commit: %v", err)
		}
	} else if err := w.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	return w
}

func mustContent(t testing.TB, d driver.StorageDriver, path string, want []byte) {
	t.Helper()
	got, err := d.GetContent(ctx(t), path)
	if err != nil {
		t.Fatalf("GetContent(%s): %v", path, err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("GetContent(%s): %d bytes, want %d (content differs)", path, len(got), len(want))
	}
}

func testBasics(t *testing.T, s *server) {
	t.Run("PathStyle", func(t *testing.T) {
		testBasicsOn(t, driver.Wrap(open(t, s.params(newRoot(t)))))
	})
	t.Run("VirtualHostedSignatureV2", func(t *testing.T) {
		rec, hc := newRecorder()
		d := driver.Wrap(open(t, with(s.params(newRoot(t)), "v4auth", false, "regionendpoint", s.m.HostEndpoint,
			"forcepathstyle", false), WithHTTPClient(hc)))
		testBasicsOn(t, d)
		for _, r := range rec.requests() {
			if !strings.HasPrefix(r.URL.Host, s.bucket+".localhost:") {
				t.Fatalf("request to %s, not virtual-hosted", r.URL)
			}
		}
	})
}

// testBasicsOn goes through every method once.
func testBasicsOn(t *testing.T, d driver.StorageDriver) {
	c := ctx(t)
	if err := d.PutContent(c, "/a/b", []byte("hello")); err != nil {
		t.Fatal(err)
	}
	if err := d.PutContent(c, "/ab", []byte("x")); err != nil {
		t.Fatal(err)
	}
	mustContent(t, d, "/a/b", []byte("hello"))
	fi, err := d.Stat(c, "/a")
	if err != nil || !fi.IsDir() {
		t.Fatalf("Stat(/a) = %v, %v", fi, err)
	}
	r, err := d.Reader(c, "/a/b", 5)
	if err != nil {
		t.Fatalf("Reader at size: %v", err)
	}
	b, _ := io.ReadAll(r)
	r.Close()
	if len(b) != 0 {
		t.Fatalf("Reader at size read %d bytes", len(b))
	}
	if _, err := d.Reader(c, "/a/b", 6); !errors.As(err, new(driver.InvalidOffsetError)) {
		t.Fatalf("Reader past size: %v", err)
	}
	if _, err := d.GetContent(c, "/nope"); !errors.As(err, new(driver.PathNotFoundError)) {
		t.Fatalf("GetContent(missing): %v", err)
	}
	list, err := d.List(c, "/")
	if err != nil || len(list) != 2 {
		t.Fatalf("List(/) = %v, %v", list, err)
	}
	var walked []string
	if err := d.Walk(c, "/", func(fi driver.FileInfo) error { walked = append(walked, fi.Path()); return nil }); err != nil {
		t.Fatal(err)
	}
	if strings.Join(walked, ",") != "/a,/a/b,/ab" {
		t.Fatalf("Walk = %v", walked)
	}
	if err := d.Delete(c, "/a"); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Stat(c, "/ab"); err != nil {
		t.Fatalf("Delete(/a) touched /ab: %v", err)
	}
	if err := d.Delete(c, "/a"); !errors.As(err, new(driver.PathNotFoundError)) {
		t.Fatalf("Delete(missing): %v", err)
	}
	if err := d.Walk(c, "/a", func(driver.FileInfo) error { return nil }); !errors.As(err, new(driver.PathNotFoundError)) {
		t.Fatalf("Walk(missing): %v", err)
	}
	data := randomBytes(7 << 20)
	write(t, d, "/w", false, data[:3<<20], false)
	w, err := d.Writer(c, "/w", true)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(data[3<<20:]); err != nil {
		t.Fatal(err)
	}
	if err := w.Commit(c); err != nil {
		t.Fatal(err)
	}
	if err := d.Move(c, "/w", "/m/w"); err != nil {
		t.Fatal(err)
	}
	mustContent(t, d, "/m/w", data)
	w, err = d.Writer(c, "/cancel", false)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = w.Write([]byte("x"))
	if err := w.Cancel(c); err != nil {
		t.Fatal(err)
	}
	u, err := d.RedirectURL(httptest.NewRequest("GET", "/", nil), "/m/w")
	if err != nil || u == "" {
		t.Fatalf("RedirectURL: %q %v", u, err)
	}
	if err := d.Delete(c, "/m"); err != nil {
		t.Fatal(err)
	}
}

// testParallelParts writes 32 MiB through 5 MiB parts with maxconcurrency
// 2 and checks, at the transport, that parts went up in parallel and never
// more than 2 at a time.
func testParallelParts(t *testing.T, s *server) {
	tr := &concurrencyMeter{next: emulator.LocalhostTransport()}
	raw := open(t, with(s.params(newRoot(t)), "maxconcurrency", 2), WithHTTPClient(&http.Client{Transport: tr}))
	d := driver.Wrap(raw)
	data := randomBytes(32<<20 + 7)
	w, err := d.Writer(ctx(t), "/big", false)
	if err != nil {
		t.Fatal(err)
	}
	for off := 0; off < len(data); off += 1 << 20 {
		if _, err := w.Write(data[off:min(off+1<<20, len(data))]); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Commit(ctx(t)); err != nil {
		t.Fatal(err)
	}
	mustContent(t, d, "/big", data)
	if tr.max > 2 {
		t.Errorf("%d part uploads in flight at once, want at most maxconcurrency = 2", tr.max)
	}
	if tr.max < 2 {
		t.Errorf("parts were uploaded one at a time (max in flight %d), want 2 in parallel", tr.max)
	}
}

// concurrencyMeter records the most UploadPart requests in flight at once.
type concurrencyMeter struct {
	next     http.RoundTripper
	mu       sync.Mutex
	cur, max int
}

func (m *concurrencyMeter) RoundTrip(r *http.Request) (*http.Response, error) {
	part := r.Method == http.MethodPut && r.URL.Query().Get("partNumber") != ""
	if part {
		m.mu.Lock()
		m.cur++
		m.max = max(m.max, m.cur)
		m.mu.Unlock()
		defer func() { m.mu.Lock(); m.cur--; m.mu.Unlock() }()
	}
	resp, err := m.next.RoundTrip(r)
	return resp, err
}

// uploadsOf lists the multipart uploads in progress for exactly key.
func uploadsOf(t testing.TB, d *Driver, key string) []types.MultipartUpload {
	t.Helper()
	out, err := d.client.ListMultipartUploads(ctx(t), &s3.ListMultipartUploadsInput{Bucket: d.bucket, Prefix: aws.String(key)})
	if err != nil {
		t.Fatalf("ListMultipartUploads(%s): %v", key, err)
	}
	var ups []types.MultipartUpload
	for _, u := range out.Uploads {
		if aws.ToString(u.Key) == key {
			ups = append(ups, u)
		}
	}
	return ups
}

func head(t testing.TB, d *Driver, path string) *s3.HeadObjectOutput {
	t.Helper()
	out, err := d.client.HeadObject(ctx(t), &s3.HeadObjectInput{Bucket: d.bucket, Key: aws.String(d.key(path))})
	if err != nil {
		t.Fatalf("HeadObject(%s): %v", path, err)
	}
	return out
}

// testEncryption checks SSE-S3 and SSE-KMS on every write path.
func testEncryption(t *testing.T, s *server) {
	for _, tc := range []struct {
		name, keyID, want string
	}{
		{"SSE-S3", "", "AES256"},
		{"SSE-KMS", emulator.MinIOKMSKey, "aws:kms"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := with(s.params(newRoot(t)), "encrypt", true, "multipartcopythresholdsize", "5MiB", "multipartcopychunksize", "5MiB")
			if tc.keyID != "" {
				p["keyid"] = tc.keyID
			}
			raw := open(t, p)
			d := driver.Wrap(raw)
			if err := d.PutContent(ctx(t), "/put", []byte("secret")); err != nil {
				t.Fatal(err)
			}
			write(t, d, "/multipart", false, randomBytes(12<<20), true)
			write(t, d, "/moved-small-src", false, []byte("small"), true)
			if err := d.Move(ctx(t), "/moved-small-src", "/moved-small"); err != nil {
				t.Fatal(err)
			}
			if err := d.Move(ctx(t), "/multipart", "/moved-big"); err != nil {
				t.Fatal(err)
			}
			for _, path := range []string{"/put", "/moved-small", "/moved-big"} {
				h := head(t, raw, path)
				if string(h.ServerSideEncryption) != tc.want {
					t.Errorf("%s: ServerSideEncryption = %q, want %q", path, h.ServerSideEncryption, tc.want)
				}
				if tc.keyID != "" && !strings.HasSuffix(aws.ToString(h.SSEKMSKeyId), tc.keyID) {
					t.Errorf("%s: SSEKMSKeyId = %q, want %q", path, aws.ToString(h.SSEKMSKeyId), tc.keyID)
				}
			}
			write(t, d, "/multipart2", false, randomBytes(12<<20), true)
			if h := head(t, raw, "/multipart2"); string(h.ServerSideEncryption) != tc.want {
				t.Errorf("multipart: ServerSideEncryption = %q, want %q", h.ServerSideEncryption, tc.want)
			}
			mustContent(t, d, "/put", []byte("secret"))
		})
	}
}

func testStorageClass(t *testing.T, s *server) {
	raw := open(t, with(s.params(newRoot(t)), "storageclass", "reduced_redundancy", "multipartcopythresholdsize", "5MiB", "multipartcopychunksize", "5MiB"))
	d := driver.Wrap(raw)
	if err := d.PutContent(ctx(t), "/rr", []byte("x")); err != nil {
		t.Fatal(err)
	}
	write(t, d, "/rr-multipart", false, randomBytes(6<<20), true)
	write(t, d, "/rr-src", false, randomBytes(6<<20), true)
	if err := d.Move(ctx(t), "/rr-src", "/rr-moved-big"); err != nil {
		t.Fatal(err)
	}
	if err := d.PutContent(ctx(t), "/rr-small", []byte("x")); err != nil {
		t.Fatal(err)
	}
	if err := d.Move(ctx(t), "/rr-small", "/rr-moved-small"); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/rr", "/rr-multipart", "/rr-moved-big", "/rr-moved-small"} {
		if h := head(t, raw, p); h.StorageClass != "REDUCED_REDUNDANCY" {
			t.Errorf("%s: StorageClass = %q", p, h.StorageClass)
		}
	}
	raw = open(t, with(s.params(newRoot(t)), "storageclass", "STANDARD"))
	if err := raw.PutContent(ctx(t), "/std", []byte("x")); err != nil {
		t.Fatal(err)
	}
	if h := head(t, raw, "/std"); h.StorageClass != "" && h.StorageClass != "STANDARD" {
		t.Errorf("STANDARD: StorageClass = %q", h.StorageClass)
	}
}

// testHeaders checks objectacl, v4auth=false and useragent from the
// requests the driver sent.
func testHeaders(t *testing.T, s *server) {
	for _, v4 := range []bool{true, false} {
		t.Run(fmt.Sprintf("v4auth=%v", v4), func(t *testing.T) {
			rec, hc := newRecorder()
			p := with(s.params(newRoot(t)), "v4auth", v4, "objectacl", "private", "useragent", "stowagetest")
			d := driver.Wrap(open(t, p, WithHTTPClient(hc)))
			if err := d.PutContent(ctx(t), "/acl", []byte("x")); err != nil {
				t.Fatal(err)
			}
			write(t, d, "/acl-mp", false, randomBytes(6<<20), true)
			write(t, d, "/acl-resumed", false, []byte("abc"), false)
			write(t, d, "/acl-resumed", true, []byte("def"), true)
			if err := d.Move(ctx(t), "/acl", "/acl2"); err != nil {
				t.Fatal(err)
			}
			mustContent(t, d, "/acl-resumed", []byte("abcdef"))
			if _, err := d.List(ctx(t), "/"); err != nil {
				t.Fatal(err)
			}
			if err := d.Delete(ctx(t), "/acl2"); err != nil {
				t.Fatal(err)
			}
			writes := 0
			for _, r := range rec.requests() {
				auth := r.Header.Get("Authorization")
				if v4 && !strings.HasPrefix(auth, "AWS4-HMAC-SHA256 ") || !v4 && !strings.HasPrefix(auth, "AWS "+s.m.AccessKey+":") {
					t.Errorf("%s %s: Authorization %q", r.Method, r.URL, strings.SplitN(auth, " ", 2)[0])
				}
				if !strings.Contains(r.Header.Get("User-Agent"), "stowagetest") {
					t.Errorf("%s %s: User-Agent %q", r.Method, r.URL, r.Header.Get("User-Agent"))
				}
				isWrite := (r.Method == http.MethodPut && r.URL.Query().Get("partNumber") == "") ||
					(r.Method == http.MethodPost && r.URL.Query().Has("uploads"))
				if isWrite {
					writes++
					if r.Header.Get("X-Amz-Acl") != "private" {
						t.Errorf("%s %s: x-amz-acl %q", r.Method, r.URL, r.Header.Get("X-Amz-Acl"))
					}
				}
			}
			if writes < 4 {
				t.Errorf("only %d write requests recorded", writes)
			}
		})
	}
}

func testRedirect(t *testing.T, s *server) {
	for _, v4 := range []bool{true, false} {
		t.Run(fmt.Sprintf("v4auth=%v", v4), func(t *testing.T) {
			d := driver.Wrap(open(t, with(s.params(newRoot(t)), "v4auth", v4)))
			if err := d.PutContent(ctx(t), "/r", []byte("redirected")); err != nil {
				t.Fatal(err)
			}
			for _, m := range []string{http.MethodGet, http.MethodHead} {
				u, err := d.RedirectURL(httptest.NewRequest(m, "/", nil), "/r")
				if err != nil || u == "" {
					t.Fatalf("RedirectURL(%s) = %q, %v", m, u, err)
				}
				req, _ := http.NewRequest(m, u, nil)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 || (m == http.MethodGet && string(body) != "redirected") {
					t.Fatalf("%s %s: %d %q", m, u, resp.StatusCode, body)
				}
			}
		})
	}
	// Virtual-hosted style API, redirects against the IP endpoint.
	for _, v4 := range []bool{true, false} {
		d := driver.Wrap(open(t, with(s.params(newRoot(t)), "v4auth", v4, "regionendpoint", s.m.HostEndpoint,
			"forcepathstyle", false, "redirectendpoint", s.m.Endpoint), WithHTTPClient(s.m.HTTPClient())))
		if err := d.PutContent(ctx(t), "/vh", []byte("vh")); err != nil {
			t.Fatal(err)
		}
		u, err := d.RedirectURL(httptest.NewRequest("GET", "/", nil), "/vh")
		if err != nil {
			t.Fatal(err)
		}
		resp, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if string(body) != "vh" {
			t.Fatalf("virtual-hosted v4auth=%v redirect %s: %d %q", v4, u, resp.StatusCode, body)
		}
	}
	d := driver.Wrap(open(t, with(s.params(newRoot(t)), "disableredirect", true)))
	if u, err := d.RedirectURL(httptest.NewRequest("GET", "/", nil), "/r"); u != "" || err != nil {
		t.Fatalf("disableredirect: %q, %v", u, err)
	}
	d = driver.Wrap(open(t, with(s.params(newRoot(t)), "redirectendpoint", "https://cdn.example.com")))
	if u, _ := d.RedirectURL(httptest.NewRequest("GET", "/", nil), "/r"); !strings.HasPrefix(u, "https://cdn.example.com/") {
		t.Fatalf("redirectendpoint: %q", u)
	}
}

func testPurge(t *testing.T, s *server) {
	root := newRoot(t)
	raw := open(t, s.params(root))
	d := driver.Wrap(raw)
	write(t, d, "/stale1", false, []byte("abc"), false)
	write(t, d, "/stale2", false, randomBytes(6<<20), false)
	n, err := driver.PurgeUploads(ctx(t), d, time.Hour)
	if err != nil || n != 0 {
		t.Fatalf("PurgeUploads(1h) = %d, %v", n, err)
	}
	n, err = driver.PurgeUploads(ctx(t), d, -time.Minute)
	if err != nil || n != 2 {
		t.Fatalf("PurgeUploads(0) = %d, %v", n, err)
	}
	if _, err := d.Writer(ctx(t), "/stale1", true); !errors.As(err, new(driver.PathNotFoundError)) {
		t.Fatalf("Writer(purged, true): %v", err)
	}
	out, err := raw.client.ListObjectsV2(ctx(t), &s3.ListObjectsV2Input{Bucket: raw.bucket, Prefix: aws.String(raw.layout.Root())})
	if err != nil || len(out.Contents) != 0 {
		t.Fatalf("objects left after purge: %d %v", len(out.Contents), err)
	}
	if ups := uploadsOf(t, raw, raw.key("/stale2")); len(ups) != 0 {
		t.Fatalf("%d multipart uploads left after purge", len(ups))
	}

	// The layout before the multipart engine: a tail object under
	// "<root>.stowage uploads/" naming a multipart upload in progress.
	// Those uploads are not resumed; purge removes both.
	key := raw.key("/legacy")
	up, err := raw.client.CreateMultipartUpload(ctx(t), &s3.CreateMultipartUploadInput{Bucket: raw.bucket, Key: aws.String(key)})
	if err != nil {
		t.Fatal(err)
	}
	b64 := base64.RawURLEncoding
	tail := raw.layout.Root() + legacyUploads + b64.EncodeToString([]byte(key)) + "/" + b64.EncodeToString([]byte(aws.ToString(up.UploadId)))
	if _, err := raw.client.PutObject(ctx(t), &s3.PutObjectInput{Bucket: raw.bucket, Key: aws.String(tail), Body: strings.NewReader("old tail")}); err != nil {
		t.Fatal(err)
	}
	if l, err := d.List(ctx(t), "/"); err != nil && !errors.As(err, new(driver.PathNotFoundError)) || len(l) != 0 {
		t.Fatalf("List(/) shows the legacy upload state: %v %v", l, err)
	}
	if n, err := driver.PurgeUploads(ctx(t), d, -time.Minute); err != nil || n != 1 {
		t.Fatalf("PurgeUploads of a legacy upload = %d, %v; want 1", n, err)
	}
	if ups := uploadsOf(t, raw, key); len(ups) != 0 {
		t.Fatalf("legacy multipart upload left after purge")
	}
	if out, err := raw.client.ListObjectsV2(ctx(t), &s3.ListObjectsV2Input{Bucket: raw.bucket, Prefix: aws.String(raw.layout.Root())}); err != nil || len(out.Contents) != 0 {
		t.Fatalf("legacy tail left after purge: %d %v", len(out.Contents), err)
	}
}

func testMoveMultipart(t *testing.T, s *server) {
	rec, hc := newRecorder()
	d := driver.Wrap(open(t, with(s.params(newRoot(t)), "multipartcopythresholdsize", "5MiB", "multipartcopychunksize", "5MiB", "multipartcopymaxconcurrency", 2), WithHTTPClient(hc)))
	data := randomBytes(12 << 20)
	write(t, d, "/src", false, data, true)
	if err := d.Move(ctx(t), "/src", "/dir/dst"); err != nil {
		t.Fatal(err)
	}
	mustContent(t, d, "/dir/dst", data)
	if _, err := d.Stat(ctx(t), "/src"); !errors.As(err, new(driver.PathNotFoundError)) {
		t.Fatalf("source still there: %v", err)
	}
	copies := 0
	for _, r := range rec.requests() {
		if r.Header.Get("X-Amz-Copy-Source") != "" && r.URL.Query().Get("partNumber") != "" {
			copies++
		}
	}
	if copies != 3 {
		t.Fatalf("%d UploadPartCopy requests, want 3", copies)
	}
	if err := d.Move(ctx(t), "/missing", "/dir/dst"); !errors.As(err, new(driver.PathNotFoundError)) {
		t.Fatalf("Move(missing): %v", err)
	}
	mustContent(t, d, "/dir/dst", data)
}

func testChecksumModes(t *testing.T, s *server) {
	for _, mode := range []string{"when_supported", "when_required"} {
		t.Run(mode, func(t *testing.T) {
			rec, hc := newRecorder()
			d := driver.Wrap(open(t, with(s.params(newRoot(t)), "checksummode", mode), WithHTTPClient(hc)))
			for i := range 3 {
				if err := d.PutContent(ctx(t), fmt.Sprintf("/dir/f%d", i), []byte("data")); err != nil {
					t.Fatal(err)
				}
			}
			write(t, d, "/dir/mp", false, randomBytes(6<<20), true)
			mustContent(t, d, "/dir/f0", []byte("data"))
			if err := d.Delete(ctx(t), "/dir"); err != nil {
				t.Fatal(err)
			}
			if _, err := d.List(ctx(t), "/dir"); !errors.As(err, new(driver.PathNotFoundError)) {
				t.Fatalf("List after Delete: %v", err)
			}
			sawDeleteObjects, sawPutChecksum := false, false
			for _, r := range rec.requests() {
				if r.Method == http.MethodPost && r.URL.Query().Has("delete") {
					sawDeleteObjects = true
				}
				if r.Method == http.MethodPut && r.Header.Get("X-Amz-Checksum-Crc32") != "" || r.Header.Get("X-Amz-Sdk-Checksum-Algorithm") != "" {
					sawPutChecksum = true
				}
			}
			if !sawDeleteObjects {
				t.Error("no DeleteObjects request")
			}
			if want := mode == "when_supported"; sawPutChecksum != want {
				t.Errorf("PutObject checksum sent = %v, want %v", sawPutChecksum, want)
			}
		})
	}
}

// logCapture is a slog.Handler that keeps every record's message.
type logCapture struct {
	mu    *sync.Mutex
	lines *[]string
}

func (h logCapture) Enabled(context.Context, slog.Level) bool { return true }
func (h logCapture) Handle(_ context.Context, r slog.Record) error {
	h.mu.Lock()
	*h.lines = append(*h.lines, r.Message)
	h.mu.Unlock()
	return nil
}
func (h logCapture) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h logCapture) WithGroup(string) slog.Handler      { return h }

func testLogLevel(t *testing.T, s *server) {
	for _, tc := range []struct {
		level string
		v4    bool
		want  []string
	}{
		{"off", true, nil},
		{"debug", true, []string{"Request", "Response"}},
		{"debugwithsigning", true, []string{"Request Signature", "Request"}},
		{"debugwithsigning", false, []string{"Signature Version 2 string to sign"}},
		{"debugwithhttpbody", true, []string{"Request", "Response"}},
	} {
		t.Run(fmt.Sprintf("%s-v4=%v", tc.level, tc.v4), func(t *testing.T) {
			var lines []string
			l := slog.New(logCapture{mu: &sync.Mutex{}, lines: &lines})
			d := driver.Wrap(open(t, with(s.params(newRoot(t)), "loglevel", tc.level, "v4auth", tc.v4), driver.WithLogger(l)))
			if err := d.PutContent(ctx(t), "/logged", []byte("body")); err != nil {
				t.Fatal(err)
			}
			all := strings.Join(lines, "\n")
			if tc.want == nil && len(lines) > 0 {
				t.Fatalf("loglevel off logged %d lines", len(lines))
			}
			for _, w := range tc.want {
				if !strings.Contains(all, w) {
					t.Errorf("no log line with %q in:\n%.2000s", w, all)
				}
			}
			if strings.Contains(all, s.m.SecretKey) {
				t.Error("the secret key was logged")
			}
			if tc.v4 && regexp.MustCompile(`Signature=[0-9a-f]{16}`).MatchString(all) {
				t.Error("a request signature was logged")
			}
		})
	}
	// Temporary credentials: the session token is a credential too.
	t.Run("SessionToken", func(t *testing.T) {
		var lines []string
		l := slog.New(logCapture{mu: &sync.Mutex{}, lines: &lines})
		p := s.policyParams(t, newRoot(t), seedPolicy(s.bucket))
		d := driver.Wrap(open(t, with(p, "loglevel", "debugwithsigning"), driver.WithLogger(l)))
		if err := d.PutContent(ctx(t), "/logged", []byte("body")); err != nil {
			t.Fatal(err)
		}
		all := strings.Join(lines, "\n")
		for _, secret := range []string{p["sessiontoken"].(string), p["secretkey"].(string)} {
			if strings.Contains(all, secret) {
				t.Errorf("a credential was logged: %.12s...", secret)
			}
		}
		if !strings.Contains(all, "Request Signature") {
			t.Errorf("no signing log at debugwithsigning:\n%.1000s", all)
		}
	})
}
