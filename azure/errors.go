package azure

import (
	"errors"
	"net/http"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"

	"github.com/stowage/stowage/driver"
)

// Classify implements driver.Classifier: credentials the service does not
// accept (a wrong account key, an expired SAS, a client secret Entra ID
// refuses), a permission missing (a role or a SAS without it), a missing
// container.
func (d *Driver) Classify(err error) error {
	var afe *azidentity.AuthenticationFailedError
	if errors.As(err, &afe) {
		return driver.Because(driver.ErrCredentials, "Entra ID refused the application's credentials", err)
	}
	var re *azcore.ResponseError
	if !errors.As(err, &re) {
		return err
	}
	msg := strings.ToLower(re.Error())
	switch re.ErrorCode {
	case "AuthenticationFailed", "InvalidAuthenticationInfo", "NoAuthenticationInformation":
		if strings.Contains(msg, "expir") {
			return driver.Because(driver.ErrCredentials, "the SAS or token has expired", err)
		}
		return driver.Because(driver.ErrCredentials, "the account key does not match (bad signature), or the token is not valid", err)
	case "AuthorizationFailure":
		// Azurite answers a bad signature so; Azure, a request the
		// credentials may not make.
		if strings.Contains(msg, "failed to authenticate") {
			return driver.Because(driver.ErrCredentials, "the account key does not match (bad signature)", err)
		}
		return driver.Because(driver.ErrPermission, "the credentials may not do this (network rules, or a SAS without it)", err)
	case "AuthorizationPermissionMismatch", "AuthorizationResourceTypeMismatch", "AuthorizationServiceMismatch",
		"AuthorizationProtocolMismatch", "AuthorizationSourceIPMismatch", "InsufficientAccountPermissions":
		return driver.Because(driver.ErrPermission, "the role or SAS lacks the permission ("+re.ErrorCode+")", err)
	case "ContainerNotFound":
		return driver.Because(driver.ErrNoBucket, "no such container", err)
	}
	if re.StatusCode == http.StatusUnauthorized {
		return driver.Because(driver.ErrCredentials, "the service refused the credentials", err)
	}
	return err
}
