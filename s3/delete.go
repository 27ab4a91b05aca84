package s3

import (
	"context"
	"fmt"
	"iter"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/stowage/stowage/internal/deltree"
)

// deleteBatch is the most keys one DeleteObjects request takes.
const deleteBatch = 1000

// deleteConcurrency is the most DeleteObjects requests one Delete has in
// flight.
const deleteConcurrency = 8

// Delete implements driver.StorageDriver with internal/deltree: the object
// at path, and every object under path + "/", in DeleteObjects batches sent
// as the listing pages arrive.
func (d *Driver) Delete(ctx context.Context, path string) error {
	return deltree.Path(ctx, deleter{d, path}, d.layout, path, deltree.Config{Batch: deleteBatch, Concurrency: deleteConcurrency})
}

// deleter is the S3 side of deltree; its errors are the driver's (see
// Driver.fail).
type deleter struct {
	d    *Driver
	path string
}

func (x deleter) List(ctx context.Context, prefix string) iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		for o, err := range (store{x.d}).List(ctx, prefix) {
			if !yield(o.Key, x.d.fail(x.path, err)) || err != nil {
				return
			}
		}
	}
}

func (x deleter) Delete(ctx context.Context, keys []string) error {
	objs := make([]types.ObjectIdentifier, len(keys))
	for i, k := range keys {
		objs[i] = types.ObjectIdentifier{Key: aws.String(k)}
	}
	return x.d.deleteObjects(ctx, x.path, objs)
}

// DeleteKey checks with a one-key listing (s3:ListBucket, which the
// driver has, where HeadObject of a missing key needs s3:GetObject too)
// whether the key exists: DeleteObject does not say.
func (x deleter) DeleteKey(ctx context.Context, key string) (bool, error) {
	d := x.d
	out, err := d.client.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: d.bucket, Prefix: aws.String(key), MaxKeys: aws.Int32(1)})
	if err != nil {
		return false, d.fail(x.path, err)
	}
	if len(out.Contents) == 0 || aws.ToString(out.Contents[0].Key) != key {
		return false, nil
	}
	return true, x.Delete(ctx, []string{key})
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
