package gcs

import (
	"net/http"
	"time"

	"cloud.google.com/go/storage"
)

// redirectExpiry is how long a signed URL stays valid.
const redirectExpiry = 20 * time.Minute

// RedirectURL implements driver.StorageDriver: a V4 signed URL for GET and
// HEAD requests when the driver has a service account key, "" otherwise
// (Application Default Credentials, anonymous access, other methods).
func (d *Driver) RedirectURL(r *http.Request, path string) (string, error) {
	if d.signer == nil || (r.Method != http.MethodGet && r.Method != http.MethodHead) {
		return "", nil
	}
	return d.bucket.SignedURL(d.key(path), &storage.SignedURLOptions{
		Scheme:         storage.SigningSchemeV4,
		Method:         r.Method,
		Expires:        time.Now().Add(redirectExpiry),
		GoogleAccessID: d.signer.email,
		PrivateKey:     d.signer.key,
		Hostname:       d.signer.hostname,
		Insecure:       d.signer.insecure,
		Style:          storage.PathStyle(),
	})
}
