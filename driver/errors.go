package driver

import (
	"context"
	"errors"
	"fmt"
)

// PathNotFoundError is returned when nothing is stored at a path.
type PathNotFoundError struct {
	Path       string
	DriverName string
}

func (e PathNotFoundError) Error() string {
	return fmt.Sprintf("%s: path not found: %s", e.DriverName, e.Path)
}

// InvalidPathError is returned for a path that breaks the path rules. It is
// returned before any request is sent.
type InvalidPathError struct {
	Path       string
	DriverName string
	// Reason says what is wrong with the path.
	Reason string
}

func (e InvalidPathError) Error() string {
	msg := fmt.Sprintf("%s: invalid path %q", e.DriverName, e.Path)
	if e.Reason != "" {
		msg += ": " + e.Reason
	}
	return msg
}

// InvalidOffsetError is returned by Reader for a negative offset or one past
// the end of the object.
type InvalidOffsetError struct {
	Path       string
	Offset     int64
	DriverName string
}

func (e InvalidOffsetError) Error() string {
	return fmt.Sprintf("%s: invalid offset %d for path %s", e.DriverName, e.Offset, e.Path)
}

// UnsupportedMethodError is returned by a driver for a method it does not
// implement. It matches ErrUnsupportedMethod with errors.Is.
type UnsupportedMethodError struct {
	DriverName string
	Method     string
}

func (e UnsupportedMethodError) Error() string {
	return fmt.Sprintf("%s: unsupported method %s", e.DriverName, e.Method)
}

// Is reports whether target is ErrUnsupportedMethod.
func (e UnsupportedMethodError) Is(target error) bool { return target == ErrUnsupportedMethod }

// ErrUnsupportedMethod matches every UnsupportedMethodError.
var ErrUnsupportedMethod = errors.New("unsupported method")

// Error wraps a provider error with the driver name. The provider error is
// kept: use errors.As to reach it.
type Error struct {
	DriverName string
	Op         string
	Path       string
	Err        error
}

func (e *Error) Error() string {
	if e.Path != "" {
		return fmt.Sprintf("%s: %s %s: %v", e.DriverName, e.Op, e.Path, e.Err)
	}
	return fmt.Sprintf("%s: %s: %v", e.DriverName, e.Op, e.Err)
}

// Unwrap returns the provider error.
func (e *Error) Unwrap() error { return e.Err }

// IsNotFound reports whether err is, or wraps, a PathNotFoundError.
func IsNotFound(err error) bool {
	var nf PathNotFoundError
	return errors.As(err, &nf)
}

// withDriverName fills in the driver name of the typed errors and wraps any
// other error in *Error.
func withDriverName(name, op, path string, err error) error {
	if err == nil {
		return nil
	}
	switch e := err.(type) {
	case PathNotFoundError:
		e.DriverName = name
		return e
	case InvalidPathError:
		e.DriverName = name
		return e
	case InvalidOffsetError:
		e.DriverName = name
		return e
	case UnsupportedMethodError:
		e.DriverName = name
		return e
	case *Error:
		return e
	}
	var nf PathNotFoundError
	if errors.As(err, &nf) {
		return err
	}
	if errors.Is(err, ErrSkipDir) || errors.Is(err, ErrFilledBuffer) {
		return err
	}
	return &Error{DriverName: name, Op: op, Path: path, Err: err}
}

// MapError turns the error of a provider call about path into the
// driver's, for the engines and adapters that share it: nil stays nil; a
// PathNotFoundError and the context's errors pass as they are; an error
// notFound recognises becomes PathNotFoundError{Path: path}; any other goes
// through other (when not nil), which adds the provider's detail.
func MapError(path string, err error, notFound func(error) bool, other func(path string, err error) error) error {
	if err == nil {
		return nil
	}
	var nf PathNotFoundError
	if errors.As(err, &nf) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	if notFound != nil && notFound(err) {
		return PathNotFoundError{Path: path}
	}
	if other != nil {
		return other(path, err)
	}
	return err
}
