package driver

import (
	"context"
	"net/http"
	"time"
)

// Unwrapper is implemented by drivers that wrap another, such as Base and
// storage middleware.
type Unwrapper interface {
	Unwrap() StorageDriver
}

// As finds the first driver in the chain of wrapped drivers starting at d
// that implements T, the way errors.As walks wrapped errors. Optional
// capabilities are found this way.
func As[T any](d StorageDriver) (T, bool) {
	for d != nil {
		if t, ok := d.(T); ok {
			return t, true
		}
		u, ok := d.(Unwrapper)
		if !ok {
			break
		}
		d = u.Unwrap()
	}
	var zero T
	return zero, false
}

// UploadPurger is implemented by drivers that keep upload state in the
// store (multipart uploads, segments, sessions) and can remove what was
// abandoned.
type UploadPurger interface {
	// PurgeUploads removes the state of uploads under the driver's root
	// started before olderThan ago, and returns how many it removed.
	PurgeUploads(ctx context.Context, olderThan time.Duration) (int, error)
}

// PurgeUploads calls the UploadPurger of d (or of a driver it wraps), or
// returns an UnsupportedMethodError.
func PurgeUploads(ctx context.Context, d StorageDriver, olderThan time.Duration) (int, error) {
	p, ok := As[UploadPurger](d)
	if !ok {
		return 0, UnsupportedMethodError{DriverName: d.Name(), Method: "PurgeUploads"}
	}
	return p.PurgeUploads(ctx, olderThan)
}

// NoRedirect wraps d so that RedirectURL always returns "", as the
// reference registry's storage.redirect.disable does.
func NoRedirect(d StorageDriver) StorageDriver { return noRedirect{d} }

type noRedirect struct{ StorageDriver }

func (noRedirect) RedirectURL(*http.Request, string) (string, error) { return "", nil }

func (n noRedirect) Unwrap() StorageDriver { return n.StorageDriver }

// PreflightResult is the outcome of one permission check.
type PreflightResult struct {
	// Action names what was tried, in the provider's own terms (for S3 the
	// IAM action, such as "s3:ListBucketMultipartUploads").
	Action string
	// Err is nil when the action is allowed.
	Err error
}

// Preflighter is implemented by drivers that can check, before serving,
// that their credentials allow every action the driver needs.
type Preflighter interface {
	Preflight(ctx context.Context) []PreflightResult
}
