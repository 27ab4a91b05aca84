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
// uploads under the root started more than olderThan ago and removes the
// state of closed uploads as old, in the current layout and in the layout
// of stowage before the multipart engine (see legacyTails).
func (d *Driver) PurgeUploads(ctx context.Context, olderThan time.Duration) (int, error) {
	cutoff := time.Now().Add(-olderThan)
	n, err := d.uploads.Purge(ctx, cutoff)
	if err != nil {
		return n, err
	}
	return n, d.purgeLegacy(ctx, cutoff)
}

// legacyTails is where stowage kept the tails of closed uploads before the
// multipart engine: "<root>.uploads/<upload ID>" beside the root (with no
// root, "~uploads/<upload ID>", which the current layout's Purge removes as
// unknown state). Those uploads are not resumed by this version; their
// multipart uploads are under the root, aborted (and counted) by Purge, and
// their tails deleted here.
func (d *Driver) legacyTails() string {
	root := strings.TrimSuffix(d.layout.Root(), "/")
	if root == "" {
		return ""
	}
	return root + ".uploads/"
}

func (d *Driver) purgeLegacy(ctx context.Context, cutoff time.Time) error {
	prefix := d.legacyTails()
	if prefix == "" {
		return nil
	}
	for o, err := range (store{d}).List(ctx, prefix) {
		if err != nil {
			return err
		}
		if !o.Modified.Before(cutoff) {
			continue
		}
		if err := d.bucket.DeleteObject(o.Key, alioss.WithContext(ctx)); err != nil && !isNotFound(err) {
			return wrap("DeleteObject", o.Key, err)
		}
	}
	return nil
}
