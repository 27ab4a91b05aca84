package azure

import (
	"context"
	"iter"

	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/container"

	"github.com/stowage/stowage/driver"
)

// Walk implements driver.StorageDriver with one flat listing of the blobs
// under path. The List Blobs API has no start-after parameter (its marker
// is opaque), so the listing starts at the directory and driver.WalkFiles
// drops what sorts before the hint.
func (d *Driver) Walk(ctx context.Context, path string, f driver.WalkFn, options ...func(*driver.WalkOptions)) error {
	opts := driver.ApplyWalkOptions(options...)
	return driver.WalkFiles(ctx, path, d.files(ctx, d.dirKey(path)), f, opts)
}

func (d *Driver) files(ctx context.Context, prefix string) iter.Seq2[driver.FileInfo, error] {
	return func(yield func(driver.FileInfo, error) bool) {
		pager := d.container.NewListBlobsFlatPager(&container.ListBlobsFlatOptions{Prefix: &prefix})
		for pager.More() {
			page, err := pager.NextPage(ctx)
			if err != nil {
				yield(nil, err)
				return
			}
			for _, it := range page.Segment.BlobItems {
				p, ok := d.layout.Path(*it.Name)
				if !ok || *it.Name == prefix {
					continue
				}
				if !yield(driver.NewFileInfo(p, *it.Properties.ContentLength, *it.Properties.LastModified), nil) {
					return
				}
			}
		}
	}
}
