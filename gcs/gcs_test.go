package gcs_test

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"cloud.google.com/go/storage"
	"google.golang.org/api/iterator"
	"google.golang.org/api/option"

	"github.com/stowage/stowage/conformance/emulator"
	"github.com/stowage/stowage/driver"
	"github.com/stowage/stowage/gcs"
)

const testBucket = "stowage-test"

// startServer starts fake-gcs-server with the test bucket and returns it
// with a raw SDK client.
func startServer(t testing.TB) (*emulator.FakeGCS, *storage.Client) {
	t.Helper()
	srv := emulator.StartFakeGCS(t)
	client, err := storage.NewClient(context.Background(), option.WithEndpoint(srv.Endpoint), option.WithoutAuthentication())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Close() })
	if err := client.Bucket(testBucket).Create(context.Background(), "test-project", nil); err != nil {
		t.Fatalf("create bucket: %v", err)
	}
	return srv, client
}

// tb is what open needs of a test; testing.TB and conformance.TB have it.
type tb interface {
	Helper()
	Fatalf(format string, args ...any)
	Context() context.Context
}

func open(t tb, srv *emulator.FakeGCS, root string, extra map[string]any) driver.StorageDriver {
	t.Helper()
	params := map[string]any{
		"bucket":        testBucket,
		"endpoint":      srv.Endpoint,
		"anonymous":     true,
		"rootdirectory": root,
		"chunksize":     "5MiB",
	}
	for k, v := range extra {
		params[k] = v
		if k == "credentials" || k == "keyfile" {
			delete(params, "anonymous")
		}
	}
	d, err := driver.Open(t.Context(), gcs.Name, params)
	if err != nil {
		t.Fatalf("open gcs: %v", err)
	}
	return d
}

// TestResumeFromAnotherInstance writes an upload in three sessions, each
// through a new driver instance, and checks that nothing shows before
// Commit.
func TestResumeFromAnotherInstance(t *testing.T) {
	srv, client := startServer(t)
	ctx := t.Context()
	const root = "resume"
	var want []byte
	for i := range 3 {
		d := open(t, srv, root, nil)
		w, err := d.Writer(ctx, "/blobs/upload", i > 0)
		if err != nil {
			t.Fatalf("session %d: Writer: %v", i, err)
		}
		if w.Size() != int64(len(want)) {
			t.Fatalf("session %d: Size() = %d, want %d", i, w.Size(), len(want))
		}
		chunk := make([]byte, 3<<20+i)
		_, _ = rand.Read(chunk)
		if _, err := w.Write(chunk); err != nil {
			t.Fatal(err)
		}
		want = append(want, chunk...)
		if err := w.Close(); err != nil {
			t.Fatalf("session %d: Close: %v", i, err)
		}
		if _, err := d.Stat(ctx, "/blobs/upload"); !driver.IsNotFound(err) {
			t.Fatalf("session %d: Stat before Commit: %v, want not found", i, err)
		}
		if l, err := d.List(ctx, "/"); err != nil || len(l) != 0 {
			t.Fatalf("session %d: List(/) before Commit = %v, %v; want nothing", i, l, err)
		}
	}
	d := open(t, srv, root, nil)
	w, err := d.Writer(ctx, "/blobs/upload", true)
	if err != nil {
		t.Fatal(err)
	}
	if w.Size() != int64(len(want)) {
		t.Fatalf("Size() = %d, want %d", w.Size(), len(want))
	}
	if err := w.Commit(ctx); err != nil {
		t.Fatalf("Commit: %v", err)
	}
	got, err := d.GetContent(ctx, "/blobs/upload")
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("GetContent: %d bytes, %v; want %d bytes", len(got), err, len(want))
	}
	// No upload state is left in the bucket.
	it := client.Bucket(testBucket).Objects(ctx, &storage.Query{Prefix: root + ".uploads/"})
	if attrs, err := it.Next(); err != iterator.Done {
		t.Fatalf("upload state left after Commit: %v %v", attrs, err)
	}
}

// TestManyParts resumes an upload 40 times, so that Commit composes in two
// levels (compose takes at most 32 sources).
func TestManyParts(t *testing.T) {
	srv, _ := startServer(t)
	ctx := t.Context()
	d := open(t, srv, "many", nil)
	var want []byte
	for i := range 40 {
		w, err := d.Writer(ctx, "/f", i > 0)
		if err != nil {
			t.Fatal(err)
		}
		b := []byte(strings.Repeat(string(rune('a'+i%26)), i+1))
		_, _ = w.Write(b)
		want = append(want, b...)
		if i < 39 {
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := w.Commit(ctx); err != nil {
			t.Fatal(err)
		}
	}
	got, err := d.GetContent(ctx, "/f")
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("GetContent: %q, %v; want %q", got, err, want)
	}
}

// TestHiddenWithEmptyRoot checks that upload state is hidden from List and
// Walk when the driver has no root directory.
func TestHiddenWithEmptyRoot(t *testing.T) {
	srv, _ := startServer(t)
	ctx := t.Context()
	d := open(t, srv, "", nil)
	w, err := d.Writer(ctx, "/pending", false)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = w.Write([]byte("x"))
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := d.PutContent(ctx, "/visible", []byte("y")); err != nil {
		t.Fatal(err)
	}
	l, err := d.List(ctx, "/")
	if err != nil || len(l) != 1 || l[0] != "/visible" {
		t.Fatalf("List(/) = %v, %v; want [/visible]", l, err)
	}
	var walked []string
	if err := d.Walk(ctx, "/", func(fi driver.FileInfo) error { walked = append(walked, fi.Path()); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(walked) != 1 || walked[0] != "/visible" {
		t.Fatalf("Walk(/) = %v, want [/visible]", walked)
	}
	n, err := driver.PurgeUploads(ctx, d, 0)
	if err != nil || n != 1 {
		t.Fatalf("PurgeUploads = %d, %v; want 1", n, err)
	}
	if _, err := d.Writer(ctx, "/pending", true); !driver.IsNotFound(err) {
		t.Fatalf("Writer(append) after purge: %v, want not found", err)
	}
}

// TestSignedURL checks the V4 signed URL: its shape, that it is signed by
// the configured key (the signature verifies against the canonical request
// rebuilt from the URL), and that a plain client can GET it.
func TestSignedURL(t *testing.T) {
	srv, _ := startServer(t)
	ctx := t.Context()
	key, creds := serviceAccountKey(t, tokenServer(t))
	d := open(t, srv, "signed", map[string]any{"credentials": creds})
	if err := d.PutContent(ctx, "/blob", []byte("hello")); err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodGet, "/v2/x/blobs/y", nil)
	u, err := d.RedirectURL(req, "/blob")
	if err != nil || u == "" {
		t.Fatalf("RedirectURL = %q, %v", u, err)
	}
	pu, err := url.Parse(u)
	if err != nil {
		t.Fatal(err)
	}
	q := pu.Query()
	if pu.Host != srv.Host || pu.Path != "/"+testBucket+"/signed/blob" || q.Get("X-Goog-Algorithm") != "GOOG4-RSA-SHA256" ||
		!strings.HasPrefix(q.Get("X-Goog-Credential"), "stowage-test@stowage.iam.gserviceaccount.com/") || !strings.HasPrefix(q.Get("X-Goog-Expires"), "119") && q.Get("X-Goog-Expires") != "1200" {
		t.Fatalf("unexpected signed URL %s", u)
	}
	if err := verifyV4(pu, &key.PublicKey); err != nil {
		t.Fatalf("signature: %v", err)
	}
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(body) != "hello" {
		t.Fatalf("GET signed URL: %d %q", resp.StatusCode, body)
	}
	// Methods other than GET and HEAD get no URL; nor does an anonymous driver.
	if u, _ := d.RedirectURL(httptest.NewRequest(http.MethodPut, "/", nil), "/blob"); u != "" {
		t.Fatalf("RedirectURL(PUT) = %q, want empty", u)
	}
	anon := open(t, srv, "signed", nil)
	if u, _ := anon.RedirectURL(req, "/blob"); u != "" {
		t.Fatalf("anonymous RedirectURL = %q, want empty", u)
	}
}

// tokenServer is an OAuth token endpoint for the generated service account
// key; fake-gcs-server does not check the tokens.
func tokenServer(t testing.TB) string {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"access_token": "test-token", "token_type": "Bearer", "expires_in": 3600})
	}))
	t.Cleanup(ts.Close)
	return ts.URL + "/token"
}

func serviceAccountKey(t testing.TB, tokenURI string) (*rsa.PrivateKey, string) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	der, _ := x509.MarshalPKCS8PrivateKey(key)
	b, _ := json.Marshal(map[string]string{
		"type":           "service_account",
		"project_id":     "stowage",
		"private_key_id": "k1",
		"private_key":    string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})),
		"client_email":   "stowage-test@stowage.iam.gserviceaccount.com",
		"client_id":      "1",
		"token_uri":      tokenURI,
	})
	return key, string(b)
}

func serviceAccountJSON(t testing.TB, tokenURI string) string {
	_, s := serviceAccountKey(t, tokenURI)
	return s
}

var errSig = errors.New("signature does not verify")

// verifyV4 rebuilds the canonical request of a GOOG4-RSA-SHA256 signed GET
// URL and checks the signature with the public key.
func verifyV4(u *url.URL, pub *rsa.PublicKey) error {
	q := u.Query()
	sig, err := hex.DecodeString(q.Get("X-Goog-Signature"))
	if err != nil {
		return err
	}
	q.Del("X-Goog-Signature")
	canonical := strings.Join([]string{
		http.MethodGet,
		u.EscapedPath(),
		strings.ReplaceAll(q.Encode(), "+", "%20"),
		"host:" + u.Hostname() + "\n", // the SDK signs the host without its port
		"host",
		"UNSIGNED-PAYLOAD",
	}, "\n")
	h := sha256.Sum256([]byte(canonical))
	cred := q.Get("X-Goog-Credential")
	scope := cred[strings.IndexByte(cred, '/')+1:]
	toSign := "GOOG4-RSA-SHA256\n" + q.Get("X-Goog-Date") + "\n" + scope + "\n" + hex.EncodeToString(h[:])
	d := sha256.Sum256([]byte(toSign))
	if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, d[:], sig); err != nil {
		return errors.Join(errSig, err)
	}
	return nil
}

func jsonUnmarshal(s string, v any) error { return json.Unmarshal([]byte(s), v) }

// TestAuthFailure checks that credentials the token endpoint refuses give
// an authentication error, not "not found".
func TestAuthFailure(t *testing.T) {
	srv, _ := startServer(t)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(`{"error":"invalid_grant","error_description":"Invalid JWT Signature."}`))
	}))
	t.Cleanup(ts.Close)
	_, creds := serviceAccountKey(t, ts.URL+"/token")
	d := open(t, srv, "auth", map[string]any{"credentials": creds})
	ctx := t.Context()
	_, err := d.Stat(ctx, "/missing")
	if err == nil || driver.IsNotFound(err) || !strings.Contains(err.Error(), "invalid_grant") {
		t.Fatalf("Stat with refused credentials: %v, want the token error", err)
	}
	if strings.Contains(err.Error(), "PRIVATE KEY") {
		t.Fatalf("error shows the key")
	}
	if _, err := d.GetContent(ctx, "/missing"); err == nil || driver.IsNotFound(err) {
		t.Fatalf("GetContent with refused credentials: %v, want the token error", err)
	}
}

// TestCancelLeavesNothing cancels an upload with a stored part and one in
// flight, and checks that no object is left in the bucket.
func TestCancelLeavesNothing(t *testing.T) {
	srv, client := startServer(t)
	ctx := t.Context()
	d := open(t, srv, "cancel", nil)
	w, err := d.Writer(ctx, "/f", false)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = w.Write(make([]byte, 1<<20))
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	w, err = d.Writer(ctx, "/f", true)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = w.Write(make([]byte, 6<<20)) // more than a chunk: a session is open
	if err := w.Cancel(ctx); err != nil {
		t.Fatal(err)
	}
	it := client.Bucket(testBucket).Objects(ctx, &storage.Query{Prefix: "cancel"})
	for {
		attrs, err := it.Next()
		if err == iterator.Done {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		t.Errorf("left after Cancel: %s", attrs.Name)
	}
	if _, err := d.Writer(ctx, "/f", true); !driver.IsNotFound(err) {
		t.Fatalf("Writer(append) after Cancel: %v, want not found", err)
	}
}
