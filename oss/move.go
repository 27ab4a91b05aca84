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
// of the source. A failed copy leaves the destination as it was.
func (d *Driver) Move(ctx context.Context, sourcePath, destPath string) error {
	src, dst := d.key(sourcePath), d.key(destPath)
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
	} else if _, err := d.bucket.CopyObject(src, dst, d.writeOpts(ctx)...); err != nil {
		if isNotFound(err) {
			return driver.PathNotFoundError{Path: sourcePath}
		}
		return wrap("CopyObject", dst, err)
	}
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
