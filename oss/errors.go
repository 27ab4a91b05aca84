package oss

import (
	"errors"

	alioss "github.com/aliyun/aliyun-oss-go-sdk/oss"

	"github.com/stowage/stowage/driver"
)

// Classify implements driver.Classifier: credentials OSS does not accept,
// a permission missing, a missing bucket.
func (d *Driver) Classify(err error) error {
	var se alioss.ServiceError
	if !errors.As(err, &se) {
		return err
	}
	switch se.Code {
	case "InvalidAccessKeyId":
		return driver.Because(driver.ErrCredentials, "unknown access key ID", err)
	case "SignatureDoesNotMatch":
		return driver.Because(driver.ErrCredentials, "the access key secret does not match the access key ID (bad signature)", err)
	case "SecurityTokenExpired", "ExpiredToken":
		return driver.Because(driver.ErrCredentials, "the security token has expired", err)
	case "InvalidSecurityToken":
		return driver.Because(driver.ErrCredentials, "the security token is not valid", err)
	case "RequestTimeTooSkewed":
		return driver.Because(driver.ErrCredentials, "the clock of this machine is too far from the server's", err)
	case "NoSuchBucket":
		return driver.Because(driver.ErrNoBucket, "no such bucket", err)
	case "AccessDenied":
		return driver.Because(driver.ErrPermission, "the RAM policy does not allow it: "+se.Message, err)
	}
	return err
}
