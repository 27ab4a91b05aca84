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
// uploads whose newest part is older than olderThan, under the root's
// ~uploads and, for uploads of stowage before the shared layout, under
// "<rootdirectory>.uploads/" beside the root (those are not resumed).
func (d *Driver) PurgeUploads(ctx context.Context, olderThan time.Duration) (int, error) {
	cutoff := time.Now().Add(-olderThan)
	n, err := d.uploads.Purge(ctx, cutoff)
	if err != nil {
		return n, err
	}
	m, err := d.purgeLegacy(ctx, cutoff)
	return n + m, err
}

// purgeLegacy deletes the upload directories of the old layout
// ("<root>.uploads/<hash of path>/part-NNNNNN") whose newest part is older
// than cutoff. With no root the old layout was "~uploads/<hash>/", which
// the current layout's Purge already covers.
func (d *Driver) purgeLegacy(ctx context.Context, cutoff time.Time) (int, error) {
	root := strings.TrimSuffix(d.layout.Root(), "/")
	if root == "" {
		return 0, nil
	}
	prefix := root + ".uploads/"
	q := &storage.Query{Prefix: prefix}
	_ = q.SetAttrSelection([]string{"Name", "Created"})
	it := d.bucket.Objects(ctx, q)
	newest := map[string]time.Time{}
	for {
		attrs, err := it.Next()
		if isDone(err) {
			break
		}
		if err != nil {
			return 0, err
		}
		rest := strings.TrimPrefix(attrs.Name, prefix)
		i := strings.IndexByte(rest, '/')
		if i < 0 {
			continue
		}
		dir := prefix + rest[:i+1]
		if attrs.Created.After(newest[dir]) {
			newest[dir] = attrs.Created
		}
	}
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
