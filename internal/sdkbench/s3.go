package sdkbench

import (
	"context"
	"crypto/md5"
	"encoding/base64"
	"errors"
	"io"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/s3/transfermanager"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// S3 does the workloads with aws-sdk-go-v2 directly: PutObject for an
// upload shorter than PartSize, otherwise CreateMultipartUpload, parts of
// PartSize with Concurrency in flight, CompleteMultipartUpload; CopyObject
// and DeleteObject for a move; ListObjectsV2 and DeleteObjects. With MD5,
// every object and part carries a Content-MD5. With Stream, an upload is
// the SDK's transfer manager reading a stream instead.
type S3 struct {
	Client *s3.Client
	Bucket string
	// Key maps a driver path to the object key (Under gives one for a prefix).
	Key         func(path string) string
	PartSize    int64
	Concurrency int
	// MD5 sends a Content-MD5 with every object and part, as stowage's
	// adapter does under Signature Version 2.
	MD5 bool
	// Stream uploads with the SDK's transfer manager (UploadObject) from a
	// pipe written in writes of ws bytes, as code streaming a registry's
	// PATCH body to S3 would: the manager copies the stream into part
	// buffers, as a writer must, where the plain upload sends parts
	// straight from data. Not with MD5 (the manager sends none).
	Stream bool
}

func (t S3) md5(b []byte) *string {
	if !t.MD5 {
		return nil
	}
	sum := md5.Sum(b)
	return aws.String(base64.StdEncoding.EncodeToString(sum[:]))
}

func (t S3) put(ctx context.Context, key string, data []byte) error {
	_, err := t.Client.PutObject(ctx, &s3.PutObjectInput{
		Bucket: &t.Bucket, Key: aws.String(key), Body: reader(data), ContentLength: aws.Int64(int64(len(data))),
		ContentType: aws.String("application/octet-stream"), ContentMD5: t.md5(data),
	})
	return err
}

// Upload implements Target.
func (t S3) Upload(ctx context.Context, p string, data []byte, ws int) error {
	key := t.Key(p)
	if t.Stream {
		return t.stream(ctx, key, data, ws)
	}
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

// Open implements Target.
func (t S3) Open(ctx context.Context, p string) (io.ReadCloser, error) {
	out, err := t.Client.GetObject(ctx, &s3.GetObjectInput{Bucket: &t.Bucket, Key: aws.String(t.Key(p))})
	if err != nil {
		return nil, err
	}
	return out.Body, nil
}

// Read implements Target.
func (t S3) Read(ctx context.Context, p string) (int64, error) { return Read(ctx, t.Open, p) }

// Put implements Target.
func (t S3) Put(ctx context.Context, p string, data []byte) error {
	return t.put(ctx, t.Key(p), data)
}

// Exists implements Target.
func (t S3) Exists(ctx context.Context, p string) (bool, error) {
	_, err := t.Client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(t.Bucket), Key: aws.String(t.Key(p))})
	if errors.As(err, new(*types.NotFound)) {
		return false, nil
	}
	return err == nil, err
}

// Move implements Target.
func (t S3) Move(ctx context.Context, src, dst string) error {
	_, err := t.Client.CopyObject(ctx, &s3.CopyObjectInput{
		Bucket: &t.Bucket, Key: aws.String(t.Key(dst)), CopySource: aws.String(t.Bucket + "/" + t.Key(src)),
	})
	if err != nil {
		return err
	}
	_, err = t.Client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: &t.Bucket, Key: aws.String(t.Key(src))})
	return err
}

func (t S3) pages(p string) *s3.ListObjectsV2Paginator {
	return s3.NewListObjectsV2Paginator(t.Client, &s3.ListObjectsV2Input{Bucket: &t.Bucket, Prefix: aws.String(dirOf(t.Key, p))})
}

// Walk implements Target.
func (t S3) Walk(ctx context.Context, p string) (int, error) {
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
func (t S3) Delete(ctx context.Context, p string) error {
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

// stream uploads data to key with the transfer manager, from a pipe that
// is written ws bytes at a time: one PutObject below PartSize, otherwise a
// multipart upload of PartSize parts, Concurrency in flight.
func (t S3) stream(ctx context.Context, key string, data []byte, ws int) error {
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(WriteIn(pw, data, ws)) }()
	tm := transfermanager.New(t.Client, func(o *transfermanager.Options) {
		o.PartSizeBytes = t.PartSize
		o.MultipartUploadThreshold = t.PartSize
		o.Concurrency = t.Concurrency
		o.RequestChecksumCalculation = aws.RequestChecksumCalculationWhenRequired
	})
	_, err := tm.UploadObject(ctx, &transfermanager.UploadObjectInput{
		Bucket: &t.Bucket, Key: aws.String(key), Body: pr, ContentType: aws.String("application/octet-stream"),
	})
	pr.CloseWithError(err)
	return err
}
