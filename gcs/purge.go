package gcs

import (
	"context"
	"strings"
	"time"

	"cloud.google.com/go/storage"

	"github.com/stowage/stowage/driver"
)

var _ driver.UploadPurger = (*Driver)(nil)

// PurgeUploads implements driver.UploadPurger: it deletes the unfinished
// uploads whose newest part is older than olderThan.
func (d *Driver) PurgeUploads(ctx context.Context, olderThan time.Duration) (int, error) {
	q := &storage.Query{Prefix: d.uploads}
	_ = q.SetAttrSelection([]string{"Name", "Created"})
	it := d.bucket.Objects(ctx, q)
	newest := map[string]time.Time{}
	for {
		attrs, err := it.Next()
		if err != nil {
			if isDone(err) {
				break
			}
			return 0, err
		}
		rest := strings.TrimPrefix(attrs.Name, d.uploads)
		i := strings.IndexByte(rest, '/')
		if i < 0 {
			continue
		}
		dir := d.uploads + rest[:i+1]
		if attrs.Created.After(newest[dir]) {
			newest[dir] = attrs.Created
		}
	}
	cutoff := time.Now().Add(-olderThan)
	n := 0
	for dir, t := range newest {
		if t.After(cutoff) {
			continue
		}
		if _, err := d.deletePrefix(ctx, dir, ""); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
