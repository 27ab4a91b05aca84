package bench

import (
	"context"
	"crypto/md5"
	"encoding/base64"
	"errors"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// S3SDK does the workloads with aws-sdk-go-v2 directly: PutObject for an
// upload shorter than PartSize, otherwise CreateMultipartUpload, parts of
// PartSize with Concurrency in flight, CompleteMultipartUpload; CopyObject
// and DeleteObject for a move; ListObjectsV2 and DeleteObjects. With MD5,
// every object and part carries a Content-MD5.
type S3SDK struct {
	Client      *s3.Client
	Bucket      string
	Prefix      string
	PartSize    int64
	Concurrency int
	// MD5 sends a Content-MD5 with every object and part, as stowage's
	// adapter does.
	MD5 bool
}

var _ Target = S3SDK{}

func (t S3SDK) md5(b []byte) *string {
	if !t.MD5 {
		return nil
	}
	sum := md5.Sum(b)
	return aws.String(base64.StdEncoding.EncodeToString(sum[:]))
}

func (t S3SDK) put(ctx context.Context, key string, data []byte) error {
	_, err := t.Client.PutObject(ctx, &s3.PutObjectInput{
		Bucket: &t.Bucket, Key: aws.String(key), Body: reader(data), ContentLength: aws.Int64(int64(len(data))),
		ContentType: aws.String("application/octet-stream"), ContentMD5: t.md5(data),
	})
	return err
}

// Upload implements Target.
func (t S3SDK) Upload(ctx context.Context, p string, data []byte, _ int) error {
	key := keyOf(t.Prefix, p)
	if int64(len(data)) < t.PartSize {
		return t.put(ctx, key, data)
	}
	up, err := t.Client.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: &t.Bucket, Key: aws.String(key), ContentType: aws.String("application/octet-stream")})
	if err != nil {
		return err
	}
	parts, err := uploadParts(ctx, data, t.PartSize, t.Concurrency, func(ctx context.Context, n int, b []byte) (string, error) {
		out, err := t.Client.UploadPart(ctx, &s3.UploadPartInput{
			Bucket: &t.Bucket, Key: aws.String(key), UploadId: up.UploadId, PartNumber: aws.Int32(int32(n)),
			Body: reader(b), ContentLength: aws.Int64(int64(len(b))), ContentMD5: t.md5(b),
		})
		if err != nil {
			return "", err
		}
		return aws.ToString(out.ETag), nil
	})
	if err != nil {
		_, aerr := t.Client.AbortMultipartUpload(context.WithoutCancel(ctx), &s3.AbortMultipartUploadInput{Bucket: &t.Bucket, Key: aws.String(key), UploadId: up.UploadId})
		return errors.Join(err, aerr)
	}
	done := make([]types.CompletedPart, len(parts))
	for i, pt := range parts {
		done[i] = types.CompletedPart{PartNumber: aws.Int32(int32(pt.n)), ETag: aws.String(pt.etag)}
	}
	_, err = t.Client.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{
		Bucket: &t.Bucket, Key: aws.String(key), UploadId: up.UploadId,
		MultipartUpload: &types.CompletedMultipartUpload{Parts: done},
	})
	return err
}

// Read implements Target.
func (t S3SDK) Read(ctx context.Context, p string) (int64, error) {
	out, err := t.Client.GetObject(ctx, &s3.GetObjectInput{Bucket: &t.Bucket, Key: aws.String(keyOf(t.Prefix, p))})
	if err != nil {
		return 0, err
	}
	defer out.Body.Close()
	return readAll(out.Body)
}

// Put implements Target.
func (t S3SDK) Put(ctx context.Context, p string, data []byte) error {
	return t.put(ctx, keyOf(t.Prefix, p), data)
}

// Exists implements Target.
func (t S3SDK) Exists(ctx context.Context, p string) (bool, error) {
	_, err := t.Client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(t.Bucket), Key: aws.String(keyOf(t.Prefix, p))})
	if errors.As(err, new(*types.NotFound)) {
		return false, nil
	}
	return err == nil, err
}

// Move implements Target.
func (t S3SDK) Move(ctx context.Context, src, dst string) error {
	_, err := t.Client.CopyObject(ctx, &s3.CopyObjectInput{
		Bucket: &t.Bucket, Key: aws.String(keyOf(t.Prefix, dst)), CopySource: aws.String(t.Bucket + "/" + keyOf(t.Prefix, src)),
	})
	if err != nil {
		return err
	}
	_, err = t.Client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: &t.Bucket, Key: aws.String(keyOf(t.Prefix, src))})
	return err
}

func (t S3SDK) pages(p string) *s3.ListObjectsV2Paginator {
	return s3.NewListObjectsV2Paginator(t.Client, &s3.ListObjectsV2Input{Bucket: &t.Bucket, Prefix: aws.String(dirOf(t.Prefix, p))})
}

// Walk implements Target.
func (t S3SDK) Walk(ctx context.Context, p string) (int, error) {
	n := 0
	for pg := t.pages(p); pg.HasMorePages(); {
		page, err := pg.NextPage(ctx)
		if err != nil {
			return n, err
		}
		n += len(page.Contents)
	}
	return n, nil
}

// Delete implements Target.
func (t S3SDK) Delete(ctx context.Context, p string) error {
	for pg := t.pages(p); pg.HasMorePages(); {
		page, err := pg.NextPage(ctx)
		if err != nil {
			return err
		}
		if len(page.Contents) == 0 {
			continue
		}
		ids := make([]types.ObjectIdentifier, len(page.Contents))
		for i, o := range page.Contents {
			ids[i] = types.ObjectIdentifier{Key: o.Key}
		}
		if _, err := t.Client.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: &t.Bucket, Delete: &types.Delete{Objects: ids, Quiet: aws.Bool(true)}}); err != nil {
			return err
		}
	}
	return nil
}
