package s3

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// PurgeUploads implements driver.UploadPurger: it aborts the multipart
// uploads under the root initiated more than olderThan ago, and deletes
// the tails of closed uploads as old.
func (d *Driver) PurgeUploads(ctx context.Context, olderThan time.Duration) (int, error) {
	cutoff := now().Add(-olderThan)
	n := 0
	p := s3.NewListMultipartUploadsPaginator(d.client, &s3.ListMultipartUploadsInput{Bucket: d.bucket, Prefix: aws.String(d.root)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return n, explain(err)
		}
		for _, u := range page.Uploads {
			if !aws.ToTime(u.Initiated).Before(cutoff) {
				continue
			}
			if err := d.abort(ctx, aws.ToString(u.Key), aws.ToString(u.UploadId)); err != nil {
				return n, explain(err)
			}
			n++
		}
	}
	// Closed uploads, by their tails: servers such as MinIO list the
	// uploads of one exact key only, so the listing above may miss them.
	lp := s3.NewListObjectsV2Paginator(d.client, &s3.ListObjectsV2Input{Bucket: d.bucket, Prefix: aws.String(d.root + hiddenDir)})
	for lp.HasMorePages() {
		page, err := lp.NextPage(ctx)
		if err != nil {
			return n, explain(err)
		}
		for _, o := range page.Contents {
			if !aws.ToTime(o.LastModified).Before(cutoff) {
				continue
			}
			key, uploadID, ok := d.parseTailKey(aws.ToString(o.Key))
			if !ok {
				// Not a tail (a preflight scratch object): just delete it.
				if _, err := d.client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: d.bucket, Key: o.Key}); err != nil && !isNotFound(err) {
					return n, explain(err)
				}
				continue
			}
			_, err := d.client.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{Bucket: d.bucket, Key: aws.String(key), UploadId: aws.String(uploadID)})
			switch {
			case err == nil:
				n++
			case !isNoSuchUpload(err):
				return n, explain(err)
			}
			if _, err := d.client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: d.bucket, Key: o.Key}); err != nil && !isNotFound(err) {
				return n, explain(err)
			}
		}
	}
	return n, nil
}
