package filesystem

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/stowage/stowage/driver"
)

// Uploads in progress live in one flat directory inside the root,
// rootdirectory/~uploads (internal/layout's rule: "~" is not a path
// character, so Stat, List and Walk never show it), one file per upload
// named by a hash of its path, plus PutContent's temporary files. The
// directory is created by the first upload and removed when the last one
// is committed or cancelled, so a root holds nothing but its objects when
// no upload is in progress.

var _ driver.UploadPurger = (*Driver)(nil)

func (d *Driver) uploadsDir() string { return filepath.Join(d.root, uploadsDir) }

func (d *Driver) uploadFile(p string) string {
	sum := sha256.Sum256([]byte(p))
	return filepath.Join(d.uploadsDir(), hex.EncodeToString(sum[:]))
}

// withUploadsDir runs create, creating the uploads directory first; it
// tries again when another goroutine removed the directory in between.
func (d *Driver) withUploadsDir(create func() (*os.File, error)) (*os.File, error) {
	for range 3 {
		if err := os.MkdirAll(d.uploadsDir(), 0o755); err != nil {
			return nil, err
		}
		f, err := create()
		if !errors.Is(err, fs.ErrNotExist) {
			return f, err
		}
	}
	return create()
}

// createUpload creates a temporary file in the uploads directory.
func (d *Driver) createUpload(pattern string) (*os.File, error) {
	return d.withUploadsDir(func() (*os.File, error) { return os.CreateTemp(d.uploadsDir(), pattern) })
}

// openUpload opens (creating it with os.O_CREATE) the upload file of p.
func (d *Driver) openUpload(p string, flag int) (*os.File, error) {
	if flag&os.O_CREATE == 0 {
		return os.OpenFile(d.uploadFile(p), flag, 0o644)
	}
	return d.withUploadsDir(func() (*os.File, error) { return os.OpenFile(d.uploadFile(p), flag, 0o644) })
}

// removeUpload removes an upload file.
func (d *Driver) removeUpload(name string) error {
	err := os.Remove(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

// tidyUploads removes the uploads directory if it is empty (an upload
// created meanwhile, by this driver or another sharing the root, creates
// it again: withUploadsDir).
func (d *Driver) tidyUploads() { _ = os.Remove(d.uploadsDir()) }

// Close implements io.Closer (driver.Close calls it): it removes the
// uploads directory if no upload is left in it.
func (d *Driver) Close() error {
	d.tidyUploads()
	return nil
}

// PurgeUploads implements driver.UploadPurger: it removes the uploads not
// written to for olderThan, and returns how many it removed.
func (d *Driver) PurgeUploads(ctx context.Context, olderThan time.Duration) (int, error) {
	defer d.acquire()()
	entries, err := os.ReadDir(d.uploadsDir())
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	cutoff := time.Now().Add(-olderThan)
	n := 0
	for _, e := range entries {
		if err := ctx.Err(); err != nil {
			return n, err
		}
		info, err := e.Info()
		if err != nil || !info.ModTime().Before(cutoff) {
			continue
		}
		if err := os.Remove(filepath.Join(d.uploadsDir(), e.Name())); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return n, err
		}
		n++
	}
	d.tidyUploads()
	return n, nil
}
