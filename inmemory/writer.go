package inmemory

import (
	"bytes"
	"context"
	"time"

	"github.com/stowage/stowage/driver"
)

// Writer keeps the upload in the store's upload table, where Stat, List and
// Walk do not look; Close leaves it there for a later Writer(path, true).
func (d *Driver) Writer(ctx context.Context, p string, appendMode bool) (driver.FileWriter, error) {
	d.s.mu.Lock()
	defer d.s.mu.Unlock()
	var buf []byte
	if appendMode {
		if up, ok := d.s.uploads[p]; ok {
			buf = bytes.Clone(up.data)
		} else if o, ok := d.s.objects[p]; ok {
			buf = bytes.Clone(o.data)
		} else {
			return nil, driver.PathNotFoundError{Path: p}
		}
	}
	// The upload stays in the table until this writer closes, commits or
	// cancels: a writer abandoned midway leaves the last closed state.
	return &memWriter{d: d, path: p, buf: bytes.NewBuffer(buf)}, nil
}

type memWriter struct {
	d    *Driver
	path string
	buf  *bytes.Buffer
}

func (w *memWriter) Write(p []byte) (int, error) { return w.buf.Write(p) }
func (w *memWriter) Size() int64                 { return int64(w.buf.Len()) }

func (w *memWriter) Close() error {
	w.d.s.mu.Lock()
	defer w.d.s.mu.Unlock()
	w.d.s.uploads[w.path] = object{data: w.buf.Bytes(), modTime: time.Now()}
	return nil
}

func (w *memWriter) Cancel(ctx context.Context) error {
	w.d.s.mu.Lock()
	defer w.d.s.mu.Unlock()
	delete(w.d.s.uploads, w.path)
	return nil
}

func (w *memWriter) Commit(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	w.d.s.mu.Lock()
	defer w.d.s.mu.Unlock()
	w.d.s.objects[w.path] = object{data: w.buf.Bytes(), modTime: time.Now()}
	delete(w.d.s.uploads, w.path)
	return nil
}

var _ driver.UploadPurger = (*Driver)(nil)

// PurgeUploads implements driver.UploadPurger: it removes the uploads not
// closed for olderThan, and returns how many it removed.
func (d *Driver) PurgeUploads(ctx context.Context, olderThan time.Duration) (int, error) {
	cutoff := time.Now().Add(-olderThan)
	d.s.mu.Lock()
	defer d.s.mu.Unlock()
	n := 0
	for p, up := range d.s.uploads {
		if up.modTime.Before(cutoff) {
			delete(d.s.uploads, p)
			n++
		}
	}
	return n, nil
}
