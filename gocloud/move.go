package gocloud

import (
	"context"
	"errors"
	"io"
)

// Move implements driver.StorageDriver with a copy (server side where the
// provider can) and a delete of the source.
func (d *Driver) Move(ctx context.Context, sourcePath, destPath string) error {
	src, dst := d.layout.Key(sourcePath), d.layout.Key(destPath)
	if err := d.copyObject(ctx, dst, src, -1); err != nil {
		return notFound(sourcePath, err)
	}
	if err := d.bucket.Delete(ctx, src); err != nil && !isNotFound(err) {
		return err
	}
	return nil
}

// copyObject copies the object at src (size bytes, or -1 when unknown) to
// dst: with the bucket's Copy, server side, unless the object is larger
// than the provider copies that way (5 GiB on S3); such an object is
// streamed through the process into a new one.
func (d *Driver) copyObject(ctx context.Context, dst, src string, size int64) error {
	limit := d.native.copyLimit
	if limit == 0 || (size >= 0 && size <= limit) {
		return d.bucket.Copy(ctx, dst, src, nil)
	}
	if size < 0 {
		err := d.bucket.Copy(ctx, dst, src, nil)
		if err == nil || isNotFound(err) {
			return err
		}
		attrs, aerr := d.bucket.Attributes(ctx, src)
		if aerr != nil || attrs.Size <= limit {
			return err
		}
	}
	return d.streamCopy(ctx, dst, src)
}

func (d *Driver) streamCopy(ctx context.Context, dst, src string) (err error) {
	r, err := d.bucket.NewReader(ctx, src, nil)
	if err != nil {
		return err
	}
	defer r.Close()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	w, err := d.bucket.NewWriter(ctx, dst, d.writerOptions())
	if err != nil {
		return err
	}
	if _, err := io.Copy(w, r); err != nil {
		cancel() // nothing appears at dst
		return errors.Join(err, w.Close())
	}
	return w.Close()
}
