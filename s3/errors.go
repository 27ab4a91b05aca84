package s3

import (
	"errors"
	"fmt"
	"net/http"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"

	"github.com/stowage/stowage/driver"
)

// iamAction names the IAM action each S3 operation the driver sends needs,
// as in the policy of the reference registry's documentation.
var iamAction = map[string]string{
	"ListObjectsV2":           "s3:ListBucket",
	"GetBucketLocation":       "s3:GetBucketLocation",
	"ListMultipartUploads":    "s3:ListBucketMultipartUploads",
	"HeadObject":              "s3:GetObject",
	"GetObject":               "s3:GetObject",
	"PutObject":               "s3:PutObject",
	"CreateMultipartUpload":   "s3:PutObject",
	"UploadPart":              "s3:PutObject",
	"CompleteMultipartUpload": "s3:PutObject",
	"CopyObject":              "s3:PutObject (and s3:GetObject on the source)",
	"UploadPartCopy":          "s3:PutObject (and s3:GetObject on the source)",
	"DeleteObject":            "s3:DeleteObject",
	"DeleteObjects":           "s3:DeleteObject",
	"ListParts":               "s3:ListMultipartUploadParts",
	"AbortMultipartUpload":    "s3:AbortMultipartUpload",
}

// AccessDeniedError is returned when S3 refuses an operation for lack of
// permission. Action is the IAM action the credentials need.
type AccessDeniedError struct {
	Operation string
	Action    string
	Err       error
}

func (e *AccessDeniedError) Error() string {
	return fmt.Sprintf("access denied to %s: the credentials need IAM permission %s: %v", e.Operation, e.Action, e.Err)
}

func (e *AccessDeniedError) Unwrap() error { return e.Err }

// Is makes an AccessDeniedError match driver.ErrPermission.
func (e *AccessDeniedError) Is(target error) bool { return target == driver.ErrPermission }

// credentialCodes are the error codes of credentials S3 (or MinIO) does
// not accept, each with what it means.
var credentialCodes = map[string]string{
	"InvalidAccessKeyId":           "unknown access key ID",
	"SignatureDoesNotMatch":        "the secret key does not match the access key (bad signature)",
	"ExpiredToken":                 "the session token has expired",
	"TokenRefreshRequired":         "the session token must be refreshed",
	"InvalidToken":                 "the session token is not valid",
	"InvalidTokenId":               "the session token is not valid",
	"AuthorizationHeaderMalformed": "the Authorization header is malformed (wrong region?)",
	"RequestTimeTooSkewed":         "the clock of this machine is too far from the server's",
}

// Classify implements driver.Classifier: credentials the store does not
// accept, a missing bucket, and access denied (with the IAM action).
func (d *Driver) Classify(err error) error { return explain(err) }

// explain gives an S3 error its cause (driver.CauseError): rejected
// credentials, a missing bucket, or access denied with the IAM action
// (AccessDeniedError).
func explain(err error) error {
	if err == nil {
		return nil
	}
	var ce *driver.CauseError
	var ade *AccessDeniedError
	if errors.As(err, &ce) || errors.As(err, &ade) {
		return err
	}
	code := apiCode(err)
	if what, ok := credentialCodes[code]; ok {
		return driver.Because(driver.ErrCredentials, what, err)
	}
	if code == "NoSuchBucket" {
		return driver.Because(driver.ErrNoBucket, "no such bucket", err)
	}
	if code != "AccessDenied" && code != "Forbidden" && code != "AllAccessDisabled" && httpStatus(err) != http.StatusForbidden {
		return err
	}
	var oe *smithy.OperationError
	if !errors.As(err, &oe) {
		return err
	}
	action, ok := iamAction[oe.OperationName]
	if !ok {
		return err
	}
	return &AccessDeniedError{Operation: oe.OperationName, Action: action, Err: err}
}

// apiCode returns the S3 error code of err, or "".
func apiCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

func httpStatus(err error) int {
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		return re.HTTPStatusCode()
	}
	return 0
}

// isNotFound reports whether err says the key does not exist.
func isNotFound(err error) bool {
	switch apiCode(err) {
	case "NoSuchKey", "NotFound":
		return true
	}
	return false
}

// isNoSuchUpload reports whether err says the multipart upload is gone.
func isNoSuchUpload(err error) bool { return apiCode(err) == "NoSuchUpload" }
