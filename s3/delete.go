package s3

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/stowage/stowage/driver"
)

// deleteBatch is the most keys one DeleteObjects request takes.
const deleteBatch = 1000

// Delete implements driver.StorageDriver: the object at path, and every
// object under path + "/", in DeleteObjects batches.
func (d *Driver) Delete(ctx context.Context, path string) error {
	key := d.key(path)
	// The key itself sorts first among the keys it prefixes.
	first, err := d.client.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: d.bucket, Prefix: aws.String(key), MaxKeys: aws.Int32(1)})
	if err != nil {
		return d.fail(path, err)
	}
	var batch []types.ObjectIdentifier
	if len(first.Contents) > 0 && aws.ToString(first.Contents[0].Key) == key {
		batch = append(batch, types.ObjectIdentifier{Key: aws.String(key)})
	}
	found := len(batch) > 0
	p := s3.NewListObjectsV2Paginator(d.client, &s3.ListObjectsV2Input{Bucket: d.bucket, Prefix: aws.String(key + "/")})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return d.fail(path, err)
		}
		for _, o := range page.Contents {
			found = true
			batch = append(batch, types.ObjectIdentifier{Key: o.Key})
			if len(batch) == deleteBatch {
				if err := d.deleteObjects(ctx, path, batch); err != nil {
					return err
				}
				batch = batch[:0]
			}
		}
	}
	if !found {
		return driver.PathNotFoundError{Path: path}
	}
	if len(batch) > 0 {
		return d.deleteObjects(ctx, path, batch)
	}
	return nil
}

// deleteObjects deletes up to 1000 keys and reports per-key failures.
func (d *Driver) deleteObjects(ctx context.Context, path string, objs []types.ObjectIdentifier) error {
	if len(objs) == 1 {
		_, err := d.client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: d.bucket, Key: objs[0].Key})
		if err != nil && !isNotFound(err) {
			return d.fail(path, err)
		}
		return nil
	}
	out, err := d.client.DeleteObjects(ctx, &s3.DeleteObjectsInput{
		Bucket: d.bucket,
		Delete: &types.Delete{Objects: objs, Quiet: aws.Bool(true)},
	})
	if err != nil {
		return d.fail(path, err)
	}
	var errs []error
	for _, e := range out.Errors {
		if aws.ToString(e.Code) == "NoSuchKey" {
			continue
		}
		errs = append(errs, fmt.Errorf("delete %s: %s: %s", aws.ToString(e.Key), aws.ToString(e.Code), aws.ToString(e.Message)))
	}
	if len(errs) > 0 {
		err := &DeleteError{Errors: errs}
		for _, e := range out.Errors {
			if c := aws.ToString(e.Code); c == "AccessDenied" {
				err.Action = iamAction["DeleteObjects"]
			}
		}
		return err
	}
	return nil
}

// DeleteError lists the keys a DeleteObjects request failed to delete.
type DeleteError struct {
	Errors []error
	// Action is the IAM action missing when a key was refused for lack of
	// permission.
	Action string
}

func (e *DeleteError) Error() string {
	msgs := make([]string, len(e.Errors))
	for i, err := range e.Errors {
		msgs[i] = err.Error()
	}
	s := fmt.Sprintf("%d keys not deleted: %s", len(e.Errors), strings.Join(msgs, "; "))
	if e.Action != "" {
		s += " (the credentials need IAM permission " + e.Action + ")"
	}
	return s
}

func (e *DeleteError) Unwrap() []error { return e.Errors }
