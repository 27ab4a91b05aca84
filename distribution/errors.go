package distribution

import (
	"errors"

	storagedriver "github.com/distribution/distribution/v3/registry/storage/driver"
	"github.com/stowage/stowage/driver"
)

// typedError returns err as one of distribution's typed driver errors
// (PathNotFoundError, InvalidPathError, InvalidOffsetError,
// ErrUnsupportedMethod), as values of distribution's own types carrying
// name, and true; or err unchanged and false when it is none of them.
// Stowage's typed errors are found with errors.As, so a middleware that
// wraps them does not hide them.
func typedError(name string, err error) (error, bool) {
	var nf driver.PathNotFoundError
	if errors.As(err, &nf) {
		return storagedriver.PathNotFoundError{Path: nf.Path, DriverName: name}, true
	}
	var ip driver.InvalidPathError
	if errors.As(err, &ip) {
		return storagedriver.InvalidPathError{Path: ip.Path, DriverName: name}, true
	}
	var off driver.InvalidOffsetError
	if errors.As(err, &off) {
		return storagedriver.InvalidOffsetError{Path: off.Path, Offset: off.Offset, DriverName: name}, true
	}
	if errors.Is(err, driver.ErrUnsupportedMethod) {
		return storagedriver.ErrUnsupportedMethod{DriverName: name}, true
	}
	// The typed errors of distribution itself, returned by a stowage driver
	// that wraps a distribution driver (see FromDistribution), keep their
	// type and get this driver's name.
	var dnf storagedriver.PathNotFoundError
	if errors.As(err, &dnf) {
		return storagedriver.PathNotFoundError{Path: dnf.Path, DriverName: name}, true
	}
	var dip storagedriver.InvalidPathError
	if errors.As(err, &dip) {
		return storagedriver.InvalidPathError{Path: dip.Path, DriverName: name}, true
	}
	var dio storagedriver.InvalidOffsetError
	if errors.As(err, &dio) {
		return storagedriver.InvalidOffsetError{Path: dio.Path, Offset: dio.Offset, DriverName: name}, true
	}
	var dum storagedriver.ErrUnsupportedMethod
	if errors.As(err, &dum) {
		return storagedriver.ErrUnsupportedMethod{DriverName: name}, true
	}
	return err, false
}

// translateError returns err as distribution's drivers return it: one of
// the typed errors, or storagedriver.Error{DriverName, Detail} with the
// stowage error (which wraps the provider's) as Detail. nil stays nil.
func translateError(name string, err error) error {
	if err == nil {
		return nil
	}
	if t, ok := typedError(name, err); ok {
		return t
	}
	var de storagedriver.Error
	if errors.As(err, &de) {
		de.DriverName = name
		return de
	}
	return storagedriver.Error{DriverName: name, Detail: err}
}

// methodError is translateError for the methods that distribution's
// base.Base wraps: base turns every error that is not typed into
// storagedriver.Error itself, so the shim under it returns those as they
// are (Detail would otherwise hold a second storagedriver.Error).
func methodError(name string, err error) error {
	if err == nil {
		return nil
	}
	if t, ok := typedError(name, err); ok {
		return t
	}
	return err
}
