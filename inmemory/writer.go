package inmemory

import (
	"bytes"
	"context"
	"time"

	"github.com/stowage/stowage/driver"
)

// Writer keeps the upload in the store's upload table, where Stat, List and
// Walk do not look; Close leaves it there for a later Writer(path, true).
func (d *memDriver) Writer(ctx context.Context, p string, appendMode bool) (driver.FileWriter, error) {
	d.s.mu.Lock()
	defer d.s.mu.Unlock()
	var buf []byte
	if appendMode {
		if up, ok := d.s.uploads[p]; ok {
			buf = up
		} else if o, ok := d.s.objects[p]; ok {
			buf = bytes.Clone(o.data)
		} else {
			return nil, driver.PathNotFoundError{Path: p}
		}
	}
	delete(d.s.uploads, p)
	return &memWriter{d: d, path: p, buf: bytes.NewBuffer(buf)}, nil
}

type memWriter struct {
	d    *memDriver
	path string
	buf  *bytes.Buffer
}

func (w *memWriter) Write(p []byte) (int, error) { return w.buf.Write(p) }
func (w *memWriter) Size() int64                 { return int64(w.buf.Len()) }

func (w *memWriter) Close() error {
	w.d.s.mu.Lock()
	defer w.d.s.mu.Unlock()
	w.d.s.uploads[w.path] = w.buf.Bytes()
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
