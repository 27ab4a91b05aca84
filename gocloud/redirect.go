package gocloud

import (
	"net/http"

	"gocloud.dev/blob"
	"gocloud.dev/gcerrors"
)

// RedirectURL implements driver.StorageDriver with the bucket's SignedURL,
// valid for redirectexpiry: a signed GET URL, and for HEAD the same URL
// where the provider's signature allows HEAD too (Azure SAS) or one signed
// for HEAD with the provider's client (S3). It returns "" where the
// provider does not sign (the Go CDK's Unimplemented: memblob, fileblob
// without a URL signer, GCS without a private key), for HEAD on other
// providers, and for other methods.
func (d *Driver) RedirectURL(r *http.Request, path string) (string, error) {
	ctx := r.Context()
	key := d.layout.Key(path)
	get := func() (string, error) {
		u, err := d.bucket.SignedURL(ctx, key, &blob.SignedURLOptions{Expiry: d.expiresIn(), Method: http.MethodGet})
		if gcerrors.Code(err) == gcerrors.Unimplemented {
			return "", nil
		}
		return u, err
	}
	switch r.Method {
	case http.MethodGet:
		return get()
	case http.MethodHead:
		return d.headURL(ctx, key, get)
	}
	return "", nil
}
