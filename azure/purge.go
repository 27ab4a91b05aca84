package azure

import (
	"context"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/container"

	"github.com/stowage/stowage/driver"
)

var _ driver.UploadPurger = (*Driver)(nil)

// PurgeUploads implements driver.UploadPurger: it deletes the hidden blobs
// of unfinished uploads last written before olderThan ago.
func (d *Driver) PurgeUploads(ctx context.Context, olderThan time.Duration) (int, error) {
	cutoff := time.Now().Add(-olderThan)
	pager := d.container.NewListBlobsFlatPager(&container.ListBlobsFlatOptions{Prefix: &d.uploads})
	n := 0
	for pager.More() {
		page, err := pager.NextPage(ctx)
		if err != nil {
			return n, err
		}
		for _, it := range page.Segment.BlobItems {
			if it.Properties.LastModified.After(cutoff) {
				continue
			}
			k, err := d.deleteOne(ctx, *it.Name)
			if err != nil {
				return n, err
			}
			n += k
		}
	}
	return n, nil
}
