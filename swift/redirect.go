package swift

import (
	"context"
	"crypto/hmac"
	"crypto/sha1" //nolint:gosec // HP Cloud style and old clusters sign with HMAC-SHA1
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	ncw "github.com/ncw/swift/v2"
)

// redirectExpiry is how long a temporary URL is valid.
const redirectExpiry = 20 * time.Minute

// RedirectURL implements driver.StorageDriver with a Swift temporary URL
// (tempurl middleware), or "" when no key is configured, the cluster has no
// tempurl middleware, or the method is not in tempurlmethods. A HEAD is
// given a GET signature when GET is allowed: Swift accepts HEAD on it, and
// the client may then GET.
func (d *Driver) RedirectURL(r *http.Request, path string) (string, error) {
	if d.secretKey == "" || !d.features.tempURL {
		return "", nil
	}
	method := r.Method
	if method == "" {
		method = http.MethodGet
	}
	if !slices.Contains(d.methods, method) {
		return "", nil
	}
	if method == http.MethodHead && slices.Contains(d.methods, http.MethodGet) {
		method = http.MethodGet
	}
	return d.tempURL(r.Context(), method, d.key(path))
}

// tempURL signs a temporary URL for method on the object key.
func (d *Driver) tempURL(ctx context.Context, method, key string) (string, error) {
	storageURL, err := d.conn.GetStorageUrl(ctx)
	if err != nil {
		return "", err
	}
	u, err := url.Parse(storageURL)
	if err != nil {
		return "", err
	}
	expires := time.Now().Add(redirectExpiry).Unix()
	newHash := map[string]func() hash.Hash{"sha1": sha1.New, "sha256": sha256.New, "sha512": sha512.New}[d.features.digest]
	if d.accessKey != "" {
		newHash = sha1.New
	}
	mac := hmac.New(newHash, []byte(d.secretKey))
	fmt.Fprintf(mac, "%s\n%d\n%s/%s/%s", method, expires, u.Path, d.container, key)
	sig := hex.EncodeToString(mac.Sum(nil))
	if d.accessKey != "" {
		// HP Cloud: tenantid:accesskey:signature.
		sig = d.conn.TenantId + ":" + d.accessKey + ":" + sig
	}
	q := url.Values{"temp_url_sig": {sig}, "temp_url_expires": {fmt.Sprint(expires)}}
	return strings.TrimSuffix(storageURL, "/") + "/" + url.PathEscape(d.container) + "/" + key + "?" + q.Encode(), nil
}

// setupTempURL decides the key RedirectURL signs with. secretkey is
// installed as the account's Temp-URL key (or the container's with
// tempurlcontainerkey) unless it is already one of the two keys; without
// secretkey, tempurlcontainerkey uses the container's existing key.
func (d *Driver) setupTempURL(ctx context.Context, p Params) error {
	if !d.features.tempURL {
		return nil
	}
	if p.SecretKey == "" {
		if !p.TempURLContainerKey {
			return nil
		}
		_, h, err := d.conn.Container(ctx, d.container)
		if err != nil {
			return fmt.Errorf("swift: reading the Temp-URL key of container %q: %w", d.container, err)
		}
		d.secretKey = h["X-Container-Meta-Temp-Url-Key"]
		return nil
	}
	d.secretKey = p.SecretKey
	if p.AccessKey != "" {
		return nil // the provider holds HP Cloud style keys
	}
	var h ncw.Headers
	var err error
	scope := "Account"
	if p.TempURLContainerKey {
		scope = "Container"
		_, h, err = d.conn.Container(ctx, d.container)
	} else {
		_, h, err = d.conn.Account(ctx)
	}
	if err != nil {
		return fmt.Errorf("swift: reading the %s Temp-URL key: %w", strings.ToLower(scope), err)
	}
	name := "X-" + scope + "-Meta-Temp-Url-Key"
	if h[name] == p.SecretKey || h[name+"-2"] == p.SecretKey {
		return nil
	}
	update := ncw.Headers{name: p.SecretKey}
	if p.TempURLContainerKey {
		err = d.conn.ContainerUpdate(ctx, d.container, update)
	} else {
		err = d.conn.AccountUpdate(ctx, update)
	}
	if errors.Is(err, ncw.Forbidden) {
		// Not an admin: the key may be installed already by one (only
		// admins see it).
		return nil
	}
	if err != nil {
		return fmt.Errorf("swift: installing secretkey as the %s Temp-URL key: %w", strings.ToLower(scope), err)
	}
	return nil
}
