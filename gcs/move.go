package gcs

import (
	"context"

	"github.com/stowage/stowage/driver"
)

// Move implements driver.StorageDriver by a server-side copy (a rewrite,
// which the client repeats until large objects are done) and a delete.
func (d *Driver) Move(ctx context.Context, sourcePath, destPath string) error {
	src := d.bucket.Object(d.key(sourcePath))
	dst := d.bucket.Object(d.key(destPath))
	if _, err := dst.CopierFrom(src).Run(ctx); err != nil {
		if isNotExist(err) {
			return driver.PathNotFoundError{Path: sourcePath}
		}
		return err
	}
	if err := src.Delete(ctx); err != nil && !isNotExist(err) {
		return err
	}
	return nil
}
