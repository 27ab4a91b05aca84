package s3

import (
	"context"
	"encoding/base64"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// PurgeUploads implements driver.UploadPurger: it aborts the multipart
// uploads under the root initiated more than olderThan ago, and removes the
// state of closed uploads as old, in the current layout and in the layout
// of stowage before the multipart engine (see legacyUploads).
func (d *Driver) PurgeUploads(ctx context.Context, olderThan time.Duration) (int, error) {
	cutoff := now().Add(-olderThan)
	n, err := d.uploads.Purge(ctx, cutoff)
	if err != nil {
		return n, err
	}
	m, err := d.purgeLegacy(ctx, cutoff)
	return n + m, err
}

// legacyUploads is where stowage kept the tails of closed uploads before
// the multipart engine: "<root>.stowage uploads/<base64 key>/<base64
// upload ID>". Those uploads are not resumed by this version (a registry
// client whose upload is lost starts it again); PurgeUploads removes them
// and their multipart uploads.
const legacyUploads = ".stowage uploads/"

func (d *Driver) purgeLegacy(ctx context.Context, cutoff time.Time) (int, error) {
	b64 := base64.RawURLEncoding
	prefix := d.layout.Root() + legacyUploads
	n := 0
	lp := s3.NewListObjectsV2Paginator(d.client, &s3.ListObjectsV2Input{Bucket: d.bucket, Prefix: aws.String(prefix)})
	for lp.HasMorePages() {
		page, err := lp.NextPage(ctx)
		if err != nil {
			return n, explain(err)
		}
		for _, o := range page.Contents {
			if !aws.ToTime(o.LastModified).Before(cutoff) {
				continue
			}
			k, u, found := strings.Cut(strings.TrimPrefix(aws.ToString(o.Key), prefix), "/")
			key, err1 := b64.DecodeString(k)
			id, err2 := b64.DecodeString(u)
			if found && err1 == nil && err2 == nil {
				_, err := d.client.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{Bucket: d.bucket, Key: aws.String(string(key)), UploadId: aws.String(string(id))})
				if err != nil && !isNoSuchUpload(err) {
					return n, explain(err)
				}
				n++
			}
			if _, err := d.client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: d.bucket, Key: o.Key}); err != nil && !isNotFound(err) {
				return n, explain(err)
			}
		}
	}
	return n, nil
}
