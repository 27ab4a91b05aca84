package stowageblob

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"

	"gocloud.dev/blob"
	"gocloud.dev/blob/driver"
	"gocloud.dev/gcerrors"
	"golang.org/x/sync/errgroup"

	stowage "github.com/stowage/stowage/driver"
)

// OpenBucket returns a *blob.Bucket over the stowage driver d. Closing the
// bucket leaves d open: the caller owns it.
func OpenBucket(d stowage.StorageDriver) *blob.Bucket {
	return blob.NewBucket(&bucket{d: d})
}

// bucket implements the Go CDK's driver.Bucket over a stowage driver.
type bucket struct {
	d     stowage.StorageDriver
	owned bool // Close closes d (a driver the URL opener opened)
}

var _ driver.Bucket = (*bucket)(nil)

var (
	errExists        = errors.New("stowageblob: a blob exists at the key")
	errUnimplemented = errors.New("stowageblob: not supported by stowage drivers")
)

// keyError is an error about one key: its message names the key, as the
// Go CDK expects of not-found errors.
type keyError struct {
	key string
	err error
}

func (e *keyError) Error() string { return fmt.Sprintf("key %q: %v", e.key, e.err) }
func (e *keyError) Unwrap() error { return e.err }

func notFound(key string) error {
	return &keyError{key: key, err: stowage.PathNotFoundError{Path: key, DriverName: "stowageblob"}}
}

// ErrorCode implements driver.Bucket: stowage's typed errors, then the
// HTTP status a provider error carries.
func (b *bucket) ErrorCode(err error) gcerrors.ErrorCode {
	var nf stowage.PathNotFoundError
	var ip stowage.InvalidPathError
	var off stowage.InvalidOffsetError
	switch {
	case errors.As(err, &nf):
		return gcerrors.NotFound
	case errors.As(err, &ip), errors.As(err, &off), errors.Is(err, errBadKey):
		return gcerrors.InvalidArgument
	case errors.Is(err, stowage.ErrUnsupportedMethod), errors.Is(err, errUnimplemented):
		return gcerrors.Unimplemented
	case errors.Is(err, errExists):
		return gcerrors.FailedPrecondition
	case errors.Is(err, context.Canceled):
		return gcerrors.Canceled
	case errors.Is(err, context.DeadlineExceeded):
		return gcerrors.DeadlineExceeded
	}
	switch httpStatus(err) {
	case http.StatusNotFound:
		return gcerrors.NotFound // such as a bucket that does not exist
	case http.StatusUnauthorized, http.StatusForbidden:
		return gcerrors.PermissionDenied
	case http.StatusPreconditionFailed:
		return gcerrors.FailedPrecondition
	case http.StatusTooManyRequests:
		return gcerrors.ResourceExhausted
	}
	return gcerrors.Unknown
}

// httpStatus returns the HTTP status code a provider error carries (AWS,
// Azure and Google SDK errors do, each its way), or 0.
func httpStatus(err error) int {
	var m interface{ HTTPStatusCode() int }
	if errors.As(err, &m) {
		return m.HTTPStatusCode()
	}
	var c interface{ StatusCode() int }
	if errors.As(err, &c) {
		return c.StatusCode()
	}
	return 0
}

// As implements driver.Bucket: a *stowage driver.StorageDriver gets the
// driver.
func (b *bucket) As(i any) bool {
	p, ok := i.(*stowage.StorageDriver)
	if ok {
		*p = b.d
	}
	return ok
}

// ErrorAs implements driver.Bucket with errors.As: stowage's typed errors
// and the provider errors they wrap.
func (b *bucket) ErrorAs(err error, i any) bool { return errors.As(err, i) }

// Close implements driver.Bucket: it closes the driver the URL opener
// opened, and nothing else.
func (b *bucket) Close() error {
	if b.owned {
		return stowage.Close(b.d)
	}
	return nil
}

// stat returns the FileInfo of the blob at key and its path; a directory
// is not a blob.
func (b *bucket) stat(ctx context.Context, key string) (stowage.FileInfo, string, error) {
	path, err := keyPath(key)
	if err != nil {
		return nil, "", &keyError{key, err}
	}
	fi, err := b.d.Stat(ctx, path)
	if err != nil {
		if stowage.IsNotFound(err) {
			return nil, path, notFound(key)
		}
		return nil, path, err
	}
	if fi.IsDir() {
		return nil, path, notFound(key)
	}
	return fi, path, nil
}

// statAttrs is stat with the blob's stored attributes, read alongside.
func (b *bucket) statAttrs(ctx context.Context, key string) (stowage.FileInfo, string, *driver.Attributes, error) {
	path, err := keyPath(key)
	if err != nil {
		return nil, "", nil, &keyError{key, err}
	}
	var fi stowage.FileInfo
	var data []byte
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		var err error
		fi, _, err = b.stat(gctx, key)
		return err
	})
	g.Go(func() error {
		var err error
		data, err = b.d.GetContent(gctx, attrsPath(path))
		if stowage.IsNotFound(err) {
			return nil
		}
		return err
	})
	if err := g.Wait(); err != nil {
		return nil, path, nil, err
	}
	return fi, path, driverAttributes(fi, parseAttrs(data, fi.Size())), nil
}

// Attributes implements driver.Bucket.
func (b *bucket) Attributes(ctx context.Context, key string) (*driver.Attributes, error) {
	_, _, a, err := b.statAttrs(ctx, key)
	return a, err
}

// Copy implements driver.Bucket by streaming the blob into a new upload
// (stowage has no copy), with its attributes.
func (b *bucket) Copy(ctx context.Context, dstKey, srcKey string, opts *driver.CopyOptions) error {
	if opts.BeforeCopy != nil {
		if err := opts.BeforeCopy(func(any) bool { return false }); err != nil {
			return err
		}
	}
	fi, src, err := b.stat(ctx, srcKey)
	if err != nil {
		return err
	}
	dst, err := keyPath(dstKey)
	if err != nil {
		return &keyError{dstKey, err}
	}
	a, err := readAttrs(ctx, b.d, src, fi.Size())
	if err != nil {
		return err
	}
	r, err := b.d.Reader(ctx, src, 0)
	if err != nil {
		if stowage.IsNotFound(err) {
			return notFound(srcKey)
		}
		return err
	}
	defer r.Close()
	w, err := b.d.Writer(ctx, dst, false)
	if err != nil {
		return err
	}
	if _, err := io.Copy(w, r); err != nil {
		return errors.Join(err, w.Cancel(context.WithoutCancel(ctx)))
	}
	if err := w.Commit(ctx); err != nil {
		return errors.Join(err, w.Cancel(context.WithoutCancel(ctx)))
	}
	if a == nil {
		return deleteAttrs(ctx, b.d, dst)
	}
	a.Size = w.Size()
	return writeAttrs(ctx, b.d, dst, a)
}

// Delete implements driver.Bucket: the blob at key and its attributes. A
// stowage Delete is recursive, so a blob that is also a directory of other
// blobs (object stores allow "a" beside "a/b") is first moved aside into
// the reserved tree and deleted there.
func (b *bucket) Delete(ctx context.Context, key string, opts *driver.DeleteOptions) error {
	if opts.BeforeDelete != nil {
		if err := opts.BeforeDelete(func(any) bool { return false }); err != nil {
			return err
		}
	}
	_, path, err := b.stat(ctx, key)
	if err != nil {
		return err
	}
	target := path
	if _, err := b.d.List(ctx, path); err == nil {
		var r [16]byte
		_, _ = rand.Read(r[:])
		target = "/" + reserved + "/trash/" + hex.EncodeToString(r[:])
		if err := b.d.Move(ctx, path, target); err != nil {
			if stowage.IsNotFound(err) {
				return notFound(key)
			}
			return err
		}
	} else if !stowage.IsNotFound(err) {
		return err
	}
	if err := b.d.Delete(ctx, target); err != nil {
		if stowage.IsNotFound(err) {
			return notFound(key)
		}
		return err
	}
	return deleteAttrs(ctx, b.d, path)
}

// SignedURL implements driver.Bucket with the driver's RedirectURL: a GET
// URL where the driver gives one, valid for as long as the driver's URLs
// are (opts.Expiry cannot shorten it). Drivers sign nothing else: other
// methods, and drivers without redirects, are Unimplemented.
func (b *bucket) SignedURL(ctx context.Context, key string, opts *driver.SignedURLOptions) (string, error) {
	if opts.Method != http.MethodGet {
		return "", fmt.Errorf("%w: signed %s URLs", errUnimplemented, opts.Method)
	}
	path, err := keyPath(key)
	if err != nil {
		return "", &keyError{key, err}
	}
	if opts.BeforeSign != nil {
		if err := opts.BeforeSign(func(any) bool { return false }); err != nil {
			return "", err
		}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "/", nil)
	if err != nil {
		return "", err
	}
	u, err := b.d.RedirectURL(req, path)
	if err != nil {
		return "", err
	}
	if u == "" {
		return "", fmt.Errorf("%w: the %s driver gives no redirect URLs", errUnimplemented, b.d.Name())
	}
	return u, nil
}
