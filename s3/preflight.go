package s3

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/stowage/stowage/driver"
)

// Preflight implements driver.Preflighter: it tries every IAM action of the
// reference registry's policy with harmless requests on a scratch key in
// the hidden upload area under the root, and reports one result per action.
func (d *Driver) Preflight(ctx context.Context) []driver.PreflightResult {
	var b [8]byte
	_, _ = rand.Read(b[:])
	scratch := aws.String(d.layout.Uploads() + "preflight-" + hex.EncodeToString(b[:]))
	var out []driver.PreflightResult
	add := func(action string, err error) {
		err = explain(err)
		out = append(out, driver.PreflightResult{Action: action, Err: err})
	}
	allowedIfMissing := func(err error) error {
		if isNotFound(err) || isNoSuchUpload(err) {
			return nil
		}
		return err
	}

	_, err := d.client.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: d.bucket, Prefix: aws.String(d.layout.Root()), MaxKeys: aws.Int32(1)})
	add("s3:ListBucket", err)
	if fatal := driver.TransportCause(out[0].Err); errors.Is(fatal, driver.ErrCredentials) || errors.Is(fatal, driver.ErrNoBucket) ||
		errors.Is(fatal, driver.ErrUnreachable) || errors.Is(fatal, driver.ErrTLS) {
		// Every other action would fail the same way: one line says it.
		out[0].Err = fatal
		return out
	}
	_, err = d.client.GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: d.bucket})
	add("s3:GetBucketLocation", err)
	_, err = d.client.ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: d.bucket, Prefix: scratch, MaxUploads: aws.Int32(1)})
	add("s3:ListBucketMultipartUploads", err)
	in := &s3.PutObjectInput{Bucket: d.bucket, Key: scratch, Body: bytes.NewReader([]byte("preflight")), ContentType: aws.String(contentType),
		StorageClass: d.storageClass(), ACL: d.acl()}
	in.ServerSideEncryption, in.SSEKMSKeyId = d.sse()
	_, err = d.client.PutObject(ctx, in)
	add("s3:PutObject", err)
	_, err = d.client.GetObject(ctx, &s3.GetObjectInput{Bucket: d.bucket, Key: scratch})
	add("s3:GetObject", allowedIfMissing(err))

	uploadID := aws.String("stowage-preflight-no-such-upload")
	if up, err := d.client.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: d.bucket, Key: scratch}); err == nil {
		uploadID = up.UploadId
	}
	_, err = d.client.ListParts(ctx, &s3.ListPartsInput{Bucket: d.bucket, Key: scratch, UploadId: uploadID})
	add("s3:ListMultipartUploadParts", allowedIfMissing(err))
	_, err = d.client.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{Bucket: d.bucket, Key: scratch, UploadId: uploadID})
	add("s3:AbortMultipartUpload", allowedIfMissing(err))
	_, err = d.client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: d.bucket, Key: scratch})
	add("s3:DeleteObject", allowedIfMissing(err))
	return out
}
