package s3

import (
	"context"
	"fmt"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"golang.org/x/sync/errgroup"
)

// Move implements driver.StorageDriver: a server-side copy, in parts above
// multipartcopythresholdsize, then a delete of the source.
func (d *Driver) Move(ctx context.Context, sourcePath, destPath string) error {
	src, dst := d.key(sourcePath), d.key(destPath)
	head, err := d.client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: d.bucket, Key: aws.String(src)})
	if err != nil {
		return d.fail(sourcePath, err)
	}
	size := aws.ToInt64(head.ContentLength)
	if size <= int64(d.p.MultipartCopyThresholdSize) {
		in := &s3.CopyObjectInput{
			Bucket: d.bucket, Key: aws.String(dst), CopySource: aws.String(copySource(d.p.Bucket, src)),
			ContentType: aws.String(contentType), MetadataDirective: types.MetadataDirectiveReplace,
			StorageClass: d.storageClass(), ACL: d.acl(),
		}
		in.ServerSideEncryption, in.SSEKMSKeyId = d.sse()
		if _, err := d.client.CopyObject(ctx, in); err != nil {
			return d.fail(sourcePath, err)
		}
	} else if err := d.copyMultipart(ctx, src, dst, size); err != nil {
		return d.fail(sourcePath, err)
	}
	_, err = d.client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: d.bucket, Key: aws.String(src)})
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
