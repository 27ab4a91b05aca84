package filesystem

import (
	"bufio"
	"context"
	"io"
	"os"
	"path/filepath"

	"github.com/stowage/stowage/driver"
)

type fileWriter struct {
	d    *Driver
	path string
	file *os.File
	bw   *bufio.Writer
	size int64
}

func (d *Driver) Writer(ctx context.Context, p string, appendMode bool) (driver.FileWriter, error) {
	defer d.acquire()()
	var f *os.File
	var err error
	switch {
	case !appendMode:
		f, err = d.openUpload(p, os.O_CREATE|os.O_TRUNC|os.O_WRONLY)
	default:
		f, err = d.openUpload(p, os.O_WRONLY|os.O_APPEND)
		if os.IsNotExist(err) {
			f, err = d.resumeCommitted(p)
		}
	}
	if err != nil {
		return nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	return &fileWriter{d: d, path: p, file: f, bw: bufio.NewWriterSize(f, 1<<20), size: fi.Size()}, nil
}

// resumeCommitted starts an upload holding a copy of the committed object
// at p, for append=true with no upload in progress.
func (d *Driver) resumeCommitted(p string) (*os.File, error) {
	src, err := os.Open(d.full(p))
	if err != nil {
		return nil, notFound(p, err)
	}
	defer src.Close()
	if fi, err := src.Stat(); err != nil || fi.IsDir() {
		return nil, driver.PathNotFoundError{Path: p}
	}
	f, err := d.openUpload(p, os.O_CREATE|os.O_TRUNC|os.O_WRONLY|os.O_APPEND)
	if err != nil {
		return nil, err
	}
	if _, err := io.Copy(f, src); err != nil {
		f.Close()
		_ = d.removeUpload(f.Name())
		return nil, err
	}
	return f, nil
}

func (w *fileWriter) Write(p []byte) (int, error) {
	n, err := w.bw.Write(p)
	w.size += int64(n)
	return n, err
}

func (w *fileWriter) Size() int64 { return w.size }

func (w *fileWriter) Close() error {
	if err := w.bw.Flush(); err != nil {
		w.file.Close()
		return err
	}
	return w.file.Close()
}

func (w *fileWriter) Cancel(ctx context.Context) error {
	w.file.Close()
	return w.d.removeUpload(w.file.Name())
}

func (w *fileWriter) Commit(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := w.bw.Flush(); err != nil {
		return err
	}
	if err := w.file.Sync(); err != nil {
		return err
	}
	if err := w.file.Close(); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	defer w.d.acquire()()
	if err := w.d.place(w.file.Name(), w.path); err != nil {
		return err
	}
	return syncDir(filepath.Dir(w.d.full(w.path)))
}
