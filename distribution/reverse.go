package distribution

import (
	"context"
	"errors"
	"io"
	"net/http"

	storagedriver "github.com/distribution/distribution/v3/registry/storage/driver"
	"github.com/stowage/stowage/driver"
)

// FromDistribution is the reverse direction: a distribution storage driver
// as a stowage driver, wrapped in stowage's driver.Base, for stowage's
// tools and conformance suite. distribution's typed errors become
// stowage's (PathNotFoundError, InvalidPathError, InvalidOffsetError,
// UnsupportedMethodError); other errors, storagedriver.Error among them,
// are wrapped by Base in *driver.Error. A driver made by New gives back the
// stowage driver it translates.
func FromDistribution(sd storagedriver.StorageDriver) driver.StorageDriver {
	if d, ok := Stowage(sd); ok {
		return d
	}
	return driver.Wrap(reverse{sd})
}

type reverse struct{ sd storagedriver.StorageDriver }

func (r reverse) Name() string { return r.sd.Name() }

func (r reverse) GetContent(ctx context.Context, path string) ([]byte, error) {
	b, err := r.sd.GetContent(ctx, path)
	return b, stowageError(err)
}

func (r reverse) PutContent(ctx context.Context, path string, content []byte) error {
	return stowageError(r.sd.PutContent(ctx, path, content))
}

func (r reverse) Reader(ctx context.Context, path string, offset int64) (io.ReadCloser, error) {
	rc, err := r.sd.Reader(ctx, path, offset)
	if err != nil {
		return nil, stowageError(err)
	}
	return rc, nil
}

func (r reverse) Writer(ctx context.Context, path string, append bool) (driver.FileWriter, error) {
	w, err := r.sd.Writer(ctx, path, append)
	if err != nil {
		return nil, stowageError(err)
	}
	return reverseWriter{w}, nil
}

func (r reverse) Stat(ctx context.Context, path string) (driver.FileInfo, error) {
	fi, err := r.sd.Stat(ctx, path)
	if err != nil {
		return nil, stowageError(err)
	}
	return stowageFileInfo(fi), nil
}

func (r reverse) List(ctx context.Context, path string) ([]string, error) {
	l, err := r.sd.List(ctx, path)
	return l, stowageError(err)
}

func (r reverse) Move(ctx context.Context, sourcePath, destPath string) error {
	return stowageError(r.sd.Move(ctx, sourcePath, destPath))
}

func (r reverse) Delete(ctx context.Context, path string) error {
	return stowageError(r.sd.Delete(ctx, path))
}

func (r reverse) RedirectURL(req *http.Request, path string) (string, error) {
	u, err := r.sd.RedirectURL(req, path)
	return u, stowageError(err)
}

func (r reverse) Walk(ctx context.Context, path string, f driver.WalkFn, options ...func(*driver.WalkOptions)) error {
	o := driver.ApplyWalkOptions(options...)
	var fnErr error
	err := r.sd.Walk(ctx, path, func(fi storagedriver.FileInfo) error {
		switch err := f(stowageFileInfo(fi)); {
		case err == nil:
			return nil
		case errors.Is(err, driver.ErrSkipDir):
			return storagedriver.ErrSkipDir
		case errors.Is(err, driver.ErrFilledBuffer):
			return storagedriver.ErrFilledBuffer
		default:
			fnErr = err
			return err
		}
	}, storagedriver.WithStartAfterHint(o.StartAfterHint))
	if fnErr != nil && err != nil {
		// distribution's base.Base wraps the callback's error in
		// storagedriver.Error, which has no Unwrap.
		var de storagedriver.Error
		if errors.Is(err, fnErr) || (errors.As(err, &de) && de.Detail == fnErr) {
			return fnErr
		}
	}
	return stowageError(err)
}

type reverseWriter struct{ w storagedriver.FileWriter }

func (w reverseWriter) Write(p []byte) (int, error) {
	n, err := w.w.Write(p)
	return n, stowageError(err)
}
func (w reverseWriter) Close() error                     { return stowageError(w.w.Close()) }
func (w reverseWriter) Size() int64                      { return w.w.Size() }
func (w reverseWriter) Cancel(ctx context.Context) error { return stowageError(w.w.Cancel(ctx)) }
func (w reverseWriter) Commit(ctx context.Context) error { return stowageError(w.w.Commit(ctx)) }

func stowageFileInfo(fi storagedriver.FileInfo) driver.FileInfo {
	return driver.FileInfoInternal{FileInfoFields: driver.FileInfoFields{
		Path: fi.Path(), Size: fi.Size(), ModTime: fi.ModTime(), IsDir: fi.IsDir(),
	}}
}

// stowageError returns distribution's typed errors as stowage's; Base puts
// the driver name on them and wraps the others.
func stowageError(err error) error {
	if err == nil {
		return nil
	}
	var nf storagedriver.PathNotFoundError
	if errors.As(err, &nf) {
		return driver.PathNotFoundError{Path: nf.Path}
	}
	var ip storagedriver.InvalidPathError
	if errors.As(err, &ip) {
		return driver.InvalidPathError{Path: ip.Path}
	}
	var off storagedriver.InvalidOffsetError
	if errors.As(err, &off) {
		return driver.InvalidOffsetError{Path: off.Path, Offset: off.Offset}
	}
	var um storagedriver.ErrUnsupportedMethod
	if errors.As(err, &um) {
		return driver.UnsupportedMethodError{}
	}
	return err
}
