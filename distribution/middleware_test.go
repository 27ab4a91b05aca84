package distribution_test

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1" //nolint:gosec // CloudFront signs canned policies with RSA-SHA1
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go/service/cloudfront/sign"
	"github.com/distribution/distribution/v3/configuration"

	// distribution's own storage middleware, as its registry command links it.
	_ "github.com/distribution/distribution/v3/registry/storage/driver/middleware/cloudfront"
	_ "github.com/distribution/distribution/v3/registry/storage/driver/middleware/redirect"
	_ "github.com/distribution/distribution/v3/registry/storage/driver/middleware/rewrite"
)

// runMiddleware runs distribution's storage middleware (redirect, rewrite,
// cloudfront) over the backend's driver in the registry and checks where a
// blob GET is sent. No redirect is followed: the hosts are made up.
func runMiddleware(t *testing.T, b backend) {
	blob := randomBytes(30, 4<<10)
	digest := digestOf(blob)
	// pushAndGet stores the blob through the registry and returns the
	// answer to a GET of it.
	pushAndGet := func(t *testing.T, r *testRegistry) response {
		t.Helper()
		resp := r.do(nil, http.MethodPost, "/v2/mw/blobs/uploads/", nil).expect(t, http.StatusAccepted, "start upload")
		r.do(nil, http.MethodPut, withDigest(resp.Header.Get("Location"), digest), blob,
			"Content-Type", "application/octet-stream").expect(t, http.StatusCreated, "PUT blob")
		return r.do(r.noRedirect, http.MethodGet, "/v2/mw/blobs/"+digest, nil)
	}

	// Without middleware: the driver's own redirect, or the bytes.
	plain := pushAndGet(t, startRegistry(t, b))
	var driverURL *url.URL
	if b.redirects {
		plain.expect(t, http.StatusTemporaryRedirect, "GET blob, no middleware")
		driverURL = mustParse(t, plain.Header.Get("Location"))
	} else {
		plain.expect(t, http.StatusOK, "GET blob, no middleware")
	}

	t.Run("redirect", func(t *testing.T) {
		r := startRegistry(t, b, configuration.Middleware{Name: "redirect", Options: configuration.Parameters{
			"baseurl": "https://cdn.example.invalid/base",
		}})
		resp := pushAndGet(t, r).expect(t, http.StatusTemporaryRedirect, "GET blob")
		if got, want := resp.Header.Get("Location"), "https://cdn.example.invalid/base"+blobDataPath(digest); got != want {
			t.Fatalf("Location %q, want %q", got, want)
		}
		head := r.do(r.noRedirect, http.MethodHead, "/v2/mw/blobs/"+digest, nil).expect(t, http.StatusTemporaryRedirect, "HEAD blob")
		if got := head.Header.Get("Location"); !strings.HasPrefix(got, "https://cdn.example.invalid/base/") {
			t.Fatalf("HEAD: Location %q", got)
		}
	})

	t.Run("rewrite", func(t *testing.T) {
		if driverURL == nil {
			t.Skipf("the %s driver gives no redirect URLs here: nothing to rewrite", b.name)
		}
		prefix := "/" + strings.SplitN(strings.TrimPrefix(driverURL.Path, "/"), "/", 2)[0]
		r := startRegistry(t, b, configuration.Middleware{Name: "rewrite", Options: configuration.Parameters{
			"scheme":         "https",
			"host":           "mirror.example.invalid:8443",
			"trimpathprefix": prefix,
		}})
		resp := pushAndGet(t, r).expect(t, http.StatusTemporaryRedirect, "GET blob")
		got := mustParse(t, resp.Header.Get("Location"))
		// The driver's URL of this registry's area, rewritten.
		wantPath := strings.TrimPrefix(strings.Replace(driverURL.Path, plainArea(driverURL), r.area, 1), prefix)
		if got.Scheme != "https" || got.Host != "mirror.example.invalid:8443" || got.Path != wantPath {
			t.Fatalf("Location %s, want https://mirror.example.invalid:8443%s?...", got, wantPath)
		}
		if !sameKeys(got.Query(), driverURL.Query()) {
			t.Fatalf("Location query %v, want the driver's parameters %v", got.Query(), driverURL.Query())
		}
	})

	t.Run("cloudfront", func(t *testing.T) {
		key, keyFile := rsaKeyFile(t)
		const baseURL = "https://d111111abcdef8.cloudfront.net/"
		r := startRegistry(t, b, configuration.Middleware{Name: "cloudfront", Options: configuration.Parameters{
			"baseurl":    baseURL,
			"privatekey": keyFile,
			"keypairid":  "APKAEXAMPLE",
			"duration":   "5m",
		}})
		resp := pushAndGet(t, r)
		if b.name != "s3" {
			// distribution's cloudfront middleware serves S3 only (drivers
			// with S3BucketKey); others keep their own redirect.
			resp.expect(t, plain.StatusCode, "GET blob through cloudfront on "+b.name)
			if driverURL != nil {
				if got := mustParse(t, resp.Header.Get("Location")); got.Host != driverURL.Host {
					t.Fatalf("Location %s, want the driver's host %s", got, driverURL.Host)
				}
			}
			return
		}
		resp.expect(t, http.StatusTemporaryRedirect, "GET blob")
		loc := mustParse(t, resp.Header.Get("Location"))
		resource := baseURL + r.area + blobDataPath(digest)
		if got := loc.Scheme + "://" + loc.Host + loc.Path; got != resource {
			t.Fatalf("Location %s, want a signed URL of %s", loc, resource)
		}
		verifyCloudFront(t, loc, resource, &key.PublicKey)
		// RSA PKCS#1 v1.5 is deterministic: signing the same resource and
		// expiry again gives the very same URL.
		exp, _ := strconv.ParseInt(loc.Query().Get("Expires"), 10, 64)
		want, err := sign.NewURLSigner("APKAEXAMPLE", key).Sign(resource, time.Unix(exp, 0))
		if err != nil || want != loc.String() {
			t.Fatalf("Location %s, want %s (%v)", loc, want, err)
		}
	})
}

// verifyCloudFront checks a canned-policy CloudFront signed URL: key pair,
// an expiry in the future, and the RSA-SHA1 signature of the policy.
func verifyCloudFront(t *testing.T, u *url.URL, resource string, pub *rsa.PublicKey) {
	t.Helper()
	q := u.Query()
	if q.Get("Key-Pair-Id") != "APKAEXAMPLE" {
		t.Fatalf("Key-Pair-Id %q", q.Get("Key-Pair-Id"))
	}
	exp, err := strconv.ParseInt(q.Get("Expires"), 10, 64)
	if err != nil || time.Unix(exp, 0).Before(time.Now()) {
		t.Fatalf("Expires %q (%v)", q.Get("Expires"), err)
	}
	sig := strings.NewReplacer("-", "+", "_", "=", "~", "/").Replace(q.Get("Signature"))
	raw, err := base64.StdEncoding.DecodeString(sig)
	if err != nil {
		t.Fatalf("Signature: %v", err)
	}
	policy := `{"Statement":[{"Resource":"` + resource + `","Condition":{"DateLessThan":{"AWS:EpochTime":` + strconv.FormatInt(exp, 10) + `}}}]}`
	h := sha1.Sum([]byte(policy)) //nolint:gosec // CloudFront's algorithm
	if err := rsa.VerifyPKCS1v15(pub, crypto.SHA1, h[:], raw); err != nil {
		t.Fatalf("signature does not verify for policy %s: %v", policy, err)
	}
}

// rsaKeyFile writes a new RSA key as PKCS#1 PEM, the form distribution's
// cloudfront middleware reads.
func rsaKeyFile(t *testing.T) (*rsa.PrivateKey, string) {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "pk-APKAEXAMPLE.pem")
	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})
	if err := os.WriteFile(path, pemBytes, 0o600); err != nil {
		t.Fatal(err)
	}
	return key, path
}

// plainArea returns the area name in the driver's redirect URL of the
// registry without middleware: the path segment that starts with
// "registry-".
func plainArea(u *url.URL) string {
	for seg := range strings.SplitSeq(u.Path, "/") {
		if strings.HasPrefix(seg, "registry-") {
			return seg
		}
	}
	return ""
}

func sameKeys(a, b url.Values) bool {
	if len(a) != len(b) {
		return false
	}
	for k := range a {
		if _, ok := b[k]; !ok {
			return false
		}
	}
	return true
}

func mustParse(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil || s == "" {
		t.Fatalf("bad URL %q: %v", s, err)
	}
	return u
}
