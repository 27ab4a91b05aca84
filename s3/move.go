package s3

import (
	"context"
	"fmt"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"golang.org/x/sync/errgroup"

	"github.com/stowage/stowage/driver"
)

// Move implements driver.StorageDriver: a server-side copy, in parts above
// multipartcopythresholdsize, then a delete of the source. A source this
// driver stored or looked up lately (internal/seen) is copied at once on
// condition that it is still the object seen; otherwise, or when it is
// not, HeadObject gives its size first.
func (d *Driver) Move(ctx context.Context, sourcePath, destPath string) error {
	src, dst := d.key(sourcePath), d.key(destPath)
	if o, ok := d.seen.Get(src); ok && o.Size <= int64(d.p.MultipartCopyThresholdSize) {
		err := d.copyObject(ctx, src, dst, o.Size, o.ETag)
		switch {
		case err == nil:
			return d.deleteMoved(ctx, sourcePath, src)
		case isNotFound(err):
			d.seen.Forget(src)
			return driver.PathNotFoundError{Path: sourcePath}
		case apiCode(err) == "" || ctx.Err() != nil:
			return d.fail(sourcePath, err)
		}
		// The source changed since (412 Precondition Failed), or the
		// store refused the condition: look it up.
		d.seen.Forget(src)
	}
	head, err := d.client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: d.bucket, Key: aws.String(src)})
	if err != nil {
		return d.fail(sourcePath, err)
	}
	size := aws.ToInt64(head.ContentLength)
	if size <= int64(d.p.MultipartCopyThresholdSize) {
		err = d.copyObject(ctx, src, dst, size, "")
	} else {
		err = d.copyMultipart(ctx, src, dst, size)
	}
	if err != nil {
		return d.fail(sourcePath, err)
	}
	return d.deleteMoved(ctx, sourcePath, src)
}

// copyObject copies src (of size bytes) to dst with one CopyObject, on
// condition that src has the entity tag ifMatch when it is not empty.
func (d *Driver) copyObject(ctx context.Context, src, dst string, size int64, ifMatch string) error {
	in := &s3.CopyObjectInput{
		Bucket: d.bucket, Key: aws.String(dst), CopySource: aws.String(copySource(d.p.Bucket, src)),
		ContentType: aws.String(contentType), MetadataDirective: types.MetadataDirectiveReplace,
		StorageClass: d.storageClass(), ACL: d.acl(),
	}
	if ifMatch != "" {
		in.CopySourceIfMatch = aws.String(ifMatch)
	}
	in.ServerSideEncryption, in.SSEKMSKeyId = d.sse()
	out, err := d.client.CopyObject(ctx, in)
	if err != nil {
		return err
	}
	if out.CopyObjectResult != nil {
		d.seen.Saw(dst, size, aws.ToString(out.CopyObjectResult.ETag))
	}
	return nil
}

// deleteMoved deletes the source of a Move that copied it.
func (d *Driver) deleteMoved(ctx context.Context, sourcePath, src string) error {
	d.seen.Forget(src)
	_, err := d.client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: d.bucket, Key: aws.String(src)})
	return d.fail(sourcePath, err)
}

// copyMultipart copies src to dst with parallel UploadPartCopy requests.
func (d *Driver) copyMultipart(ctx context.Context, src, dst string, size int64) error {
	in := &s3.CreateMultipartUploadInput{
		Bucket: d.bucket, Key: aws.String(dst), ContentType: aws.String(contentType),
		StorageClass: d.storageClass(), ACL: d.acl(),
	}
	in.ServerSideEncryption, in.SSEKMSKeyId = d.sse()
	up, err := d.client.CreateMultipartUpload(ctx, in)
	if err != nil {
		return err
	}
	id := up.UploadId
	chunk := int64(d.p.MultipartCopyChunkSize)
	if n := (size + chunk - 1) / chunk; n > maxParts {
		chunk = (size + maxParts - 1) / maxParts
	}
	n := int((size + chunk - 1) / chunk)
	parts := make([]types.CompletedPart, n)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(d.p.MultipartCopyMaxConcurrency)
	for i := range n {
		g.Go(func() error {
			off := int64(i) * chunk
			end := min(off+chunk, size) - 1
			out, err := d.client.UploadPartCopy(gctx, &s3.UploadPartCopyInput{
				Bucket: d.bucket, Key: aws.String(dst), UploadId: id, PartNumber: aws.Int32(int32(i + 1)),
				CopySource: aws.String(copySource(d.p.Bucket, src)), CopySourceRange: aws.String(fmt.Sprintf("bytes=%d-%d", off, end)),
			})
			if err != nil {
				return err
			}
			parts[i] = types.CompletedPart{PartNumber: aws.Int32(int32(i + 1)), ETag: out.CopyPartResult.ETag}
			return nil
		})
	}
	firstErr := g.Wait()
	if firstErr == nil {
		_, firstErr = d.client.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{
			Bucket: d.bucket, Key: aws.String(dst), UploadId: id,
			MultipartUpload: &types.CompletedMultipartUpload{Parts: slices.Clip(parts)},
		})
		if firstErr == nil {
			return nil
		}
	}
	_, _ = d.client.AbortMultipartUpload(context.WithoutCancel(ctx), &s3.AbortMultipartUploadInput{Bucket: d.bucket, Key: aws.String(dst), UploadId: id})
	return firstErr
}
