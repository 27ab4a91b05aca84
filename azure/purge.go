package azure

import (
	"context"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/container"

	"github.com/stowage/stowage/driver"
)

var _ driver.UploadPurger = (*Driver)(nil)

// PurgeUploads implements driver.UploadPurger: it deletes the hidden blobs
// of unfinished uploads last written before olderThan ago, under the root's
// ~uploads and, for uploads written by stowage before the shared key
// layout, under "<rootdirectory>.uploads/" beside the root (such uploads
// are not resumed by this version: a registry client starts them again).
func (d *Driver) PurgeUploads(ctx context.Context, olderThan time.Duration) (int, error) {
	cutoff := time.Now().Add(-olderThan)
	n := 0
	for _, prefix := range d.uploadPrefixes() {
		pager := d.container.NewListBlobsFlatPager(&container.ListBlobsFlatOptions{Prefix: &prefix})
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
	}
	return n, nil
}

// uploadPrefixes returns where upload blobs are: the layout's, and the
// older one beside a root directory.
func (d *Driver) uploadPrefixes() []string {
	out := []string{d.layout.Uploads()}
	if root := strings.TrimSuffix(d.layout.Root(), "/"); root != "" {
		out = append(out, root+".uploads/")
	}
	return out
}
