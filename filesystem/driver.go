package filesystem

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"

	"github.com/stowage/stowage/configmap"
	"github.com/stowage/stowage/driver"
)

// Name is the driver's registered name.
const Name = "filesystem"

const uploadsDir = "~uploads"

func init() {
	driver.Register(Name, configmap.Factory(Name, New))
}

type Driver struct {
	root string
	sem  chan struct{}
}

// New returns a filesystem driver rooted at p.RootDirectory, creating it,
// wrapped in driver.Base (with the OpenTelemetry providers of opts). p is
// decided by configmap.Prepare.
func New(_ context.Context, p Params, opts ...driver.Option) (driver.StorageDriver, error) {
	if err := configmap.Prepare(&p); err != nil {
		return nil, err
	}
	root, err := filepath.Abs(p.RootDirectory)
	if err != nil {
		return nil, &configmap.Error{Param: "rootdirectory", Msg: err.Error()}
	}
	if err := os.MkdirAll(root, 0o755); err != nil {
		return nil, fmt.Errorf("storage %s: rootdirectory %s: %w", Name, root, err)
	}
	return driver.Wrap(&Driver{root: root, sem: make(chan struct{}, p.MaxThreads)}, opts...), nil
}

func (d *Driver) Name() string { return Name }

func (d *Driver) acquire() func() {
	d.sem <- struct{}{}
	return func() { <-d.sem }
}

func (d *Driver) full(p string) string { return filepath.Join(d.root, filepath.FromSlash(p)) }

// visible reports whether a directory entry name can be a path segment.
func visible(name string) bool { return driver.CheckPath("/"+name) == nil }

func notFound(p string, err error) error {
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrInvalid) {
		return driver.PathNotFoundError{Path: p}
	}
	var pe *fs.PathError
	if errors.As(err, &pe) && errors.Is(pe.Err, errNotDirSyscall()) {
		return driver.PathNotFoundError{Path: p}
	}
	return err
}

func (d *Driver) GetContent(ctx context.Context, p string) ([]byte, error) {
	defer d.acquire()()
	fi, err := os.Stat(d.full(p))
	if err != nil {
		return nil, notFound(p, err)
	}
	if fi.IsDir() {
		return nil, driver.PathNotFoundError{Path: p}
	}
	b, err := os.ReadFile(d.full(p))
	return b, notFound(p, err)
}

func (d *Driver) PutContent(ctx context.Context, p string, content []byte) error {
	defer d.acquire()()
	tmp, err := d.createUpload("put-*")
	if err != nil {
		return err
	}
	err = writeSynced(tmp, content)
	if err == nil {
		err = d.place(tmp.Name(), p)
	}
	if err != nil {
		_ = d.removeUpload(tmp.Name())
		return err
	}
	return syncDir(filepath.Dir(d.full(p)))
}

// writeSynced writes content to f, flushes it to the disk and closes f.
func writeSynced(f *os.File, content []byte) error {
	_, err := f.Write(content)
	if err == nil {
		err = f.Sync()
	}
	return errors.Join(err, f.Close())
}

// syncDir flushes dir to the disk, so that a file just renamed into it
// stays there after a crash (a file's own fsync does not cover the
// directory entry that a rename makes). PutContent and Commit call it, as
// distribution's filesystem driver does after PutContent; Move does not
// (neither does distribution's): the object it renames is already stored,
// and a crash leaves it at the source.
func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	return errors.Join(f.Sync(), f.Close())
}

// place renames a finished file into p, creating parent directories. It
// creates them again when a Delete or a Move removed one of them (both
// remove the directories they leave empty) between the MkdirAll and the
// Rename, or during the MkdirAll.
func (d *Driver) place(from, p string) error {
	dst := d.full(p)
	var err error
	for range 10 {
		if err = os.MkdirAll(filepath.Dir(dst), 0o755); err == nil {
			err = os.Rename(from, dst)
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		if _, serr := os.Lstat(from); serr != nil {
			return err // the source is gone, not a directory on the way
		}
	}
	return err
}

func (d *Driver) Reader(ctx context.Context, p string, offset int64) (io.ReadCloser, error) {
	defer d.acquire()()
	f, err := os.Open(d.full(p))
	if err != nil {
		return nil, notFound(p, err)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if fi.IsDir() {
		f.Close()
		return nil, driver.PathNotFoundError{Path: p}
	}
	if offset > fi.Size() {
		f.Close()
		return nil, driver.InvalidOffsetError{Path: p, Offset: offset}
	}
	if _, err := f.Seek(offset, io.SeekStart); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

func (d *Driver) Stat(ctx context.Context, p string) (driver.FileInfo, error) {
	defer d.acquire()()
	fi, err := os.Stat(d.full(p))
	if err != nil {
		return nil, notFound(p, err)
	}
	if fi.IsDir() {
		return driver.FileInfoInternal{FileInfoFields: driver.FileInfoFields{Path: p, IsDir: true, ModTime: fi.ModTime()}}, nil
	}
	return driver.NewFileInfo(p, fi.Size(), fi.ModTime()), nil
}

func (d *Driver) List(ctx context.Context, p string) ([]string, error) {
	defer d.acquire()()
	entries, err := os.ReadDir(d.full(p))
	if err != nil {
		return nil, notFound(p, err)
	}
	// os.ReadDir sorts by name, so the paths are in order too.
	out := make([]string, 0, len(entries))
	for _, e := range entries {
		if visible(e.Name()) {
			out = append(out, driver.Join(p, e.Name()))
		}
	}
	return out, nil
}

func (d *Driver) Move(ctx context.Context, src, dst string) error {
	defer d.acquire()()
	fi, err := os.Stat(d.full(src))
	if err != nil {
		return notFound(src, err)
	}
	if fi.IsDir() {
		return driver.PathNotFoundError{Path: src}
	}
	if err := d.place(d.full(src), dst); err != nil {
		return err
	}
	d.removeEmptyParents(src)
	return nil
}

func (d *Driver) RedirectURL(*http.Request, string) (string, error) { return "", nil }
