package oss

import (
	"context"
	"strings"
	"time"

	alioss "github.com/aliyun/aliyun-oss-go-sdk/oss"

	"github.com/stowage/stowage/driver"
)

var _ driver.UploadPurger = (*Driver)(nil)

// PurgeUploads implements driver.UploadPurger: it aborts the multipart
// uploads under the root started more than olderThan ago and removes their
// hidden tails.
func (d *Driver) PurgeUploads(ctx context.Context, olderThan time.Duration) (int, error) {
	cutoff := time.Now().Add(-olderThan)
	n := 0
	keyMarker, idMarker := "", ""
	for {
		opts := []alioss.Option{alioss.Prefix(d.prefix), alioss.MaxUploads(1000), alioss.WithContext(ctx)}
		if keyMarker != "" {
			opts = append(opts, alioss.KeyMarker(keyMarker), alioss.UploadIDMarker(idMarker))
		}
		res, err := d.bucket.ListMultipartUploads(opts...)
		if err != nil {
			return n, wrap("ListMultipartUploads", d.prefix, err)
		}
		for _, u := range res.Uploads {
			if !strings.HasPrefix(u.Key, d.prefix) || !u.Initiated.Before(cutoff) {
				continue
			}
			if err := d.abortUpload(ctx, u.Key, u.UploadID); err != nil {
				return n, err
			}
			n++
		}
		if !res.IsTruncated || res.NextKeyMarker == "" {
			return n, nil
		}
		keyMarker, idMarker = res.NextKeyMarker, res.NextUploadIDMarker
	}
}
