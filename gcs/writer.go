package gcs

import (
	"context"

	"github.com/stowage/stowage/driver"
)

// Writer implements driver.StorageDriver with internal/objparts: each
// writer session streams into a hidden part object under the root's
// ~uploads ("<root>/~uploads/<path>~part-000001", a resumable upload of
// chunksize requests), Close finishes it, a writer in another process
// resumes by listing the parts, and Commit composes them into the path in
// one atomic compose (through intermediate composites past 32 parts) and
// deletes them. An upload committed in one session before it fills a chunk
// is one request; appending to a committed object starts from a rewrite
// of it as part 0.
func (d *Driver) Writer(ctx context.Context, path string, appendMode bool) (driver.FileWriter, error) {
	return d.uploads.Writer(ctx, path, appendMode)
}
