package oss

import (
	"context"

	alioss "github.com/aliyun/aliyun-oss-go-sdk/oss"
	"golang.org/x/sync/errgroup"

	"github.com/stowage/stowage/driver"
)

// copyConcurrency bounds the parallel UploadPartCopy calls of one copy.
const copyConcurrency = 8

// Move implements driver.StorageDriver: a copy (CopyObject, or
// UploadPartCopy in parts above multipartcopythresholdsize), then a delete
// of the source. A failed copy leaves the destination as it was. A source
// this driver stored or looked up lately (internal/seen) is copied at once
// on condition that it is still the object seen; otherwise, or when it is
// not, a HeadObject gives its size first.
func (d *Driver) Move(ctx context.Context, sourcePath, destPath string) error {
	src, dst := d.key(sourcePath), d.key(destPath)
	if o, ok := d.seen.Get(src); ok && o.Size <= d.copyThreshold {
		err := d.copyObject(ctx, src, dst, o.Size, o.ETag)
		switch {
		case err == nil:
			return d.deleteMoved(ctx, src)
		case isNotFound(err):
			d.seen.Forget(src)
			return driver.PathNotFoundError{Path: sourcePath}
		case errCode(err) == "" || ctx.Err() != nil:
			return wrap("CopyObject", dst, err)
		}
		// The source changed since (412 PreconditionFailed), or the store
		// refused the condition: look it up.
		d.seen.Forget(src)
	}
	fi, err := d.Stat(ctx, sourcePath)
	if err != nil {
		return err
	}
	if fi.IsDir() {
		return driver.PathNotFoundError{Path: sourcePath}
	}
	if fi.Size() > d.copyThreshold {
		imur, err := d.bucket.InitiateMultipartUpload(dst, d.writeOpts(ctx, alioss.ContentType("application/octet-stream"))...)
		if err != nil {
			return wrap("InitiateMultipartUpload", dst, err)
		}
		parts, err := d.copyParts(ctx, imur, src, fi.Size())
		if err == nil {
			_, err = d.bucket.CompleteMultipartUpload(imur, parts, alioss.WithContext(ctx))
			err = wrap("CompleteMultipartUpload", dst, err)
		}
		if err != nil {
			_ = d.bucket.AbortMultipartUpload(imur, alioss.WithContext(context.WithoutCancel(ctx)))
			return err
		}
	} else if err := d.copyObject(ctx, src, dst, fi.Size(), ""); err != nil {
		if isNotFound(err) {
			return driver.PathNotFoundError{Path: sourcePath}
		}
		return wrap("CopyObject", dst, err)
	}
	return d.deleteMoved(ctx, src)
}

// copyObject copies src (of size bytes) to dst with one CopyObject, on
// condition that src has the entity tag ifMatch when it is not empty.
func (d *Driver) copyObject(ctx context.Context, src, dst string, size int64, ifMatch string) error {
	opts := d.writeOpts(ctx)
	if ifMatch != "" {
		opts = append(opts, alioss.CopySourceIfMatch(ifMatch))
	}
	res, err := d.bucket.CopyObject(src, dst, opts...)
	if err != nil {
		return err
	}
	d.seen.Saw(dst, size, res.ETag)
	return nil
}

// deleteMoved deletes the source of a Move that copied it.
func (d *Driver) deleteMoved(ctx context.Context, src string) error {
	d.seen.Forget(src)
	if err := d.bucket.DeleteObject(src, alioss.WithContext(ctx)); err != nil {
		return wrap("DeleteObject", src, err)
	}
	return nil
}

// copyParts copies the object srcKey of size bytes into the upload imur
// as parts 1..n of nearly equal size, about multipartcopychunksize each.
func (d *Driver) copyParts(ctx context.Context, imur alioss.InitiateMultipartUploadResult, srcKey string, size int64) ([]alioss.UploadPart, error) {
	n := max((size+d.copyChunkSize-1)/d.copyChunkSize, 1)
	n = min(n, maxParts)
	parts := make([]alioss.UploadPart, n)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(copyConcurrency)
	for i := range n {
		start, end := size*i/n, size*(i+1)/n
		g.Go(func() error {
			p, err := d.bucket.UploadPartCopy(imur, d.bucket.BucketName, srcKey, start, end-start, int(i)+1, alioss.WithContext(gctx))
			parts[i] = p
			return wrap("UploadPartCopy", imur.Key, err)
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return parts, nil
}
