package oss

import (
	"context"

	"github.com/stowage/stowage/driver"
)

// Writer implements driver.StorageDriver with the multipart engine
// (internal/multipart): parts of exactly chunksize, up to maxconcurrency
// in flight, and the state of a closed upload (its parts and the bytes too
// few for a part) kept in one hidden object under the root's "~uploads/".
func (d *Driver) Writer(ctx context.Context, path string, appendMode bool) (driver.FileWriter, error) {
	return d.uploads.Writer(ctx, path, appendMode)
}
