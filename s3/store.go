package s3

import (
	"context"
	"crypto/md5"
	"encoding/base64"
	"fmt"
	"io"
	"iter"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/stowage/stowage/internal/multipart"
	"github.com/stowage/stowage/internal/resume"
)

// store is the S3 side of the multipart engine (internal/multipart): each
// method is one S3 operation with the driver's encryption, storage class
// and ACL.
type store struct{ d *Driver }

var _ multipart.Store = store{}

func (s store) Create(ctx context.Context, key string) (string, error) {
	d := s.d
	in := &s3.CreateMultipartUploadInput{
		Bucket: d.bucket, Key: aws.String(key), ContentType: aws.String(contentType),
		StorageClass: d.storageClass(), ACL: d.acl(),
	}
	in.ServerSideEncryption, in.SSEKMSKeyId = d.sse()
	out, err := d.client.CreateMultipartUpload(ctx, in)
	if err != nil {
		return "", err
	}
	return aws.ToString(out.UploadId), nil
}

func (s store) UploadPart(ctx context.Context, key, uploadID string, n int, body io.ReadSeeker, size int64) (string, error) {
	sum, err := s.d.contentMD5(body)
	if err != nil {
		return "", err
	}
	out, err := s.d.client.UploadPart(ctx, &s3.UploadPartInput{
		Bucket: s.d.bucket, Key: aws.String(key), UploadId: aws.String(uploadID),
		PartNumber: aws.Int32(int32(n)), Body: body, ContentLength: aws.Int64(size), ContentMD5: sum,
	})
	if err != nil {
		return "", err
	}
	return aws.ToString(out.ETag), nil
}

func (s store) CopyPart(ctx context.Context, key, uploadID string, n int, src string, off, size int64) (string, error) {
	out, err := s.d.client.UploadPartCopy(ctx, &s3.UploadPartCopyInput{
		Bucket: s.d.bucket, Key: aws.String(key), UploadId: aws.String(uploadID),
		PartNumber:      aws.Int32(int32(n)),
		CopySource:      aws.String(copySource(s.d.p.Bucket, src)),
		CopySourceRange: aws.String(fmt.Sprintf("bytes=%d-%d", off, off+size-1)),
	})
	if err != nil {
		return "", err
	}
	return aws.ToString(out.CopyPartResult.ETag), nil
}

func (s store) Complete(ctx context.Context, key, uploadID string, parts []multipart.Part) error {
	completed := make([]types.CompletedPart, len(parts))
	for i, p := range parts {
		completed[i] = types.CompletedPart{PartNumber: aws.Int32(int32(p.Number)), ETag: aws.String(p.ETag)}
	}
	out, err := s.d.client.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{
		Bucket: s.d.bucket, Key: aws.String(key), UploadId: aws.String(uploadID),
		MultipartUpload: &types.CompletedMultipartUpload{Parts: completed},
	})
	if err == nil {
		var size int64
		for _, p := range parts {
			size += p.Size
		}
		s.d.seen.Saw(key, size, aws.ToString(out.ETag))
		return nil
	}
	if isNoSuchUpload(err) && s.completed(ctx, key, parts) {
		// The SDK repeated a Complete whose answer was lost: the first
		// one assembled the object.
		return nil
	}
	return err
}

// completed reports whether the object at key is the one a Complete of
// parts makes: as many bytes, and a multipart ETag of as many parts.
func (s store) completed(ctx context.Context, key string, parts []multipart.Part) bool {
	out, err := s.d.client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: s.d.bucket, Key: aws.String(key)})
	if err != nil {
		return false
	}
	var size int64
	for _, p := range parts {
		size += p.Size
	}
	return aws.ToInt64(out.ContentLength) == size && strings.HasSuffix(strings.Trim(aws.ToString(out.ETag), `"`), fmt.Sprintf("-%d", len(parts)))
}

func (s store) Abort(ctx context.Context, key, uploadID string) error {
	_, err := s.d.client.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{
		Bucket: s.d.bucket, Key: aws.String(key), UploadId: aws.String(uploadID),
	})
	return err
}

func (s store) Uploads(ctx context.Context, prefix string) iter.Seq2[multipart.Upload, error] {
	return func(yield func(multipart.Upload, error) bool) {
		p := s3.NewListMultipartUploadsPaginator(s.d.client, &s3.ListMultipartUploadsInput{Bucket: s.d.bucket, Prefix: aws.String(prefix)})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				yield(multipart.Upload{}, err)
				return
			}
			for _, u := range page.Uploads {
				if !yield(multipart.Upload{Key: aws.ToString(u.Key), ID: aws.ToString(u.UploadId), Initiated: aws.ToTime(u.Initiated)}, nil) {
					return
				}
			}
		}
	}
}

func (s store) Put(ctx context.Context, key string, body io.ReadSeeker, size int64) error {
	return s.d.putSeen(ctx, key, body, size)
}

func (s store) PutIfAbsent(ctx context.Context, key string, body io.ReadSeeker, size int64) (bool, error) {
	_, err := s.d.put(ctx, key, body, size, func(in *s3.PutObjectInput) { in.IfNoneMatch = aws.String("*") })
	switch apiCode(err) {
	case "PreconditionFailed", "ConditionalRequestConflict":
		return false, nil
	}
	return err == nil, err
}

func (s store) Get(ctx context.Context, key string, off int64) (io.ReadCloser, error) {
	out, err := s.d.getObject(ctx, key, off, "")
	if err != nil {
		return nil, err
	}
	return resume.New(ctx, out.Body, off, off+aws.ToInt64(out.ContentLength), aws.ToString(out.ETag), s.d.reopen(key),
		resume.Options{Policy: retryPolicy, Counter: s.d.retries, Op: "GetObject " + key}), nil
}

func (s store) Head(ctx context.Context, key string) (int64, error) {
	out, err := s.d.client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: s.d.bucket, Key: aws.String(key)})
	if err != nil {
		return 0, err
	}
	return aws.ToInt64(out.ContentLength), nil
}

func (s store) Delete(ctx context.Context, key string) error {
	_, err := s.d.client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: s.d.bucket, Key: aws.String(key)})
	if err != nil && !isNotFound(err) {
		return err
	}
	return nil
}

func (s store) List(ctx context.Context, prefix string) iter.Seq2[multipart.Object, error] {
	return func(yield func(multipart.Object, error) bool) {
		p := s3.NewListObjectsV2Paginator(s.d.client, &s3.ListObjectsV2Input{Bucket: s.d.bucket, Prefix: aws.String(prefix)})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				yield(multipart.Object{}, err)
				return
			}
			for _, o := range page.Contents {
				if !yield(multipart.Object{Key: aws.ToString(o.Key), Size: aws.ToInt64(o.Size), Modified: aws.ToTime(o.LastModified)}, nil) {
					return
				}
			}
		}
	}
}

func (s store) NotFound(err error) bool { return isNotFound(err) || isNoSuchUpload(err) }

// contentMD5 returns the base64 MD5 of body, with body back at its
// start, when the request needs one to have its bytes checked: under
// Signature Version 2 (v4auth: false), which signs no part of the body.
// Under Version 4 it returns nil: the SDK signs the body's SHA-256
// (x-amz-content-sha256), or over TLS with checksummode when_supported
// sends a CRC32 of it after the body, and S3 and every S3-compatible store
// refuse a body that does not match (XAmzContentSHA256Mismatch, BadDigest,
// retried by the retryer). An MD5 on top would be a second hash of every
// byte, and MD5 is the slowest of them: on the 2-core CI machine it runs
// at 0.78 GB/s, SHA-256 at 1.77 GB/s.
func (d *Driver) contentMD5(body io.ReadSeeker) (*string, error) {
	if d.p.V4Auth {
		return nil, nil
	}
	h := md5.New()
	if _, err := io.Copy(h, body); err != nil {
		return nil, err
	}
	if _, err := body.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	return aws.String(base64.StdEncoding.EncodeToString(h.Sum(nil))), nil
}
