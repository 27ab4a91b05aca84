package swift

import (
	"errors"
	"net/http"

	ncw "github.com/ncw/swift/v2"

	"github.com/stowage/stowage/driver"
)

// Classify implements driver.Classifier: credentials Swift does not
// accept (at authentication, or a token it no longer takes), a permission
// missing, a missing container.
func (d *Driver) Classify(err error) error { return classify(err) }

func classify(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, ncw.AuthorizationFailed) || statusOf(err) == http.StatusUnauthorized:
		return driver.Because(driver.ErrCredentials, "the identity service refused the user name and password (or the token expired)", err)
	case errors.Is(err, ncw.Forbidden) || statusOf(err) == http.StatusForbidden:
		return driver.Because(driver.ErrPermission, "the user's role does not allow it (an ACL or the operator role)", err)
	case errors.Is(err, ncw.ContainerNotFound):
		return driver.Because(driver.ErrNoBucket, "no such container", err)
	}
	return driver.TransportCause(err)
}
