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
	"time"

	"cloud.google.com/go/storage"
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
	return openWith(t, srv, root, extra)
}

// openWith is open with driver options.
func openWith(t tb, srv *emulator.FakeGCS, root string, extra map[string]any, opts ...driver.Option) driver.StorageDriver {
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
	d, err := driver.Open(t.Context(), gcs.Name, params, opts...)
	if err != nil {
		t.Fatalf("open gcs: %v", err)
	}
	return d
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

// TestLegacyUploadsPurged checks the migration from the layout before the
// shared one, which kept upload parts beside the root
// ("<root>.uploads/<hash of path>/part-NNNNNN"): such uploads are not
// resumed, and PurgeUploads removes them.
func TestLegacyUploadsPurged(t *testing.T) {
	srv, client := startServer(t)
	ctx := t.Context()
	const root = "legacy"
	part := client.Bucket(testBucket).Object(root + ".uploads/0123456789abcdef0123456789abcdef/part-000001")
	w := part.NewWriter(ctx)
	_, _ = w.Write([]byte("old part"))
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	d := open(t, srv, root, nil)
	if l, err := d.List(ctx, "/"); err != nil || len(l) != 0 {
		t.Fatalf("List(/) shows the old upload state: %v %v", l, err)
	}
	if n, err := driver.PurgeUploads(ctx, d, -time.Minute); err != nil || n != 1 {
		t.Fatalf("PurgeUploads = %d, %v; want the legacy upload", n, err)
	}
	if _, err := part.Attrs(ctx); !errors.Is(err, storage.ErrObjectNotExist) {
		t.Fatalf("legacy part left after purge: %v", err)
	}
}
