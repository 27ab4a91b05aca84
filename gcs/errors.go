package gcs

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"cloud.google.com/go/auth"
	"cloud.google.com/go/storage"
	"google.golang.org/api/googleapi"

	"github.com/stowage/stowage/driver"
)

// Classify implements driver.Classifier: credentials GCS (or the token
// endpoint) does not accept, a permission missing (GCS names it, such as
// storage.objects.create), a missing bucket.
func (d *Driver) Classify(err error) error {
	if errors.Is(err, storage.ErrBucketNotExist) {
		return driver.Because(driver.ErrNoBucket, "no such bucket", err)
	}
	var ge *googleapi.Error
	if errors.As(err, &ge) {
		msg := ge.Message
		if msg == "" {
			msg, _, _ = strings.Cut(ge.Body, "\n")
		}
		switch {
		case ge.Code == http.StatusUnauthorized:
			return driver.Because(driver.ErrCredentials, "the credentials are not valid or have expired", err)
		case ge.Code == http.StatusForbidden:
			return driver.Because(driver.ErrPermission, msg, err)
		case ge.Code == http.StatusNotFound && strings.Contains(strings.ToLower(msg), "bucket"):
			return driver.Because(driver.ErrNoBucket, "no such bucket", err)
		}
		return err
	}
	// The token endpoint refusing a key: the auth library's error, whose
	// body says why (OAuth's error and error_description), or oauth2's
	// "cannot fetch token".
	var ae *auth.Error
	if errors.As(err, &ae) {
		detail := "the token endpoint refused the credentials"
		if why := tokenRefusal(ae.Body); why != "" {
			detail += ": " + why
		}
		return driver.Because(driver.ErrCredentials, detail, err)
	}
	if s := err.Error(); strings.Contains(s, "cannot fetch token") || strings.Contains(s, "invalid_grant") || strings.Contains(s, "credentials: status code") {
		return driver.Because(driver.ErrCredentials, "the token endpoint refused the credentials", err)
	}
	return err
}

// tokenRefusal returns the reason an OAuth token endpoint gave in its
// error body ({"error": "invalid_grant", "error_description": "..."}), or
// "" when the body is not such an answer.
func tokenRefusal(body []byte) string {
	var r struct {
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}
	if json.Unmarshal(body, &r) != nil || r.Error == "" {
		return ""
	}
	if r.Description == "" {
		return r.Error
	}
	return r.Error + ": " + r.Description
}
