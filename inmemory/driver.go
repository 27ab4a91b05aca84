package inmemory

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/stowage/stowage/configmap"
	"github.com/stowage/stowage/driver"
)

// Name is the driver's registered name.
const Name = "inmemory"

func init() {
	driver.Register(Name, configmap.Factory(Name, New))
}

// Params: the in-memory driver takes none.
type Params struct{ configmap.Defaulted }

type object struct {
	data    []byte
	modTime time.Time
}

// Store holds the objects and the uploads in progress.
type Store struct {
	mu      sync.RWMutex
	objects map[string]object
	uploads map[string]object // closed uploads, by path
}

// NewStore returns an empty store.
func NewStore() *Store {
	return &Store{objects: map[string]object{}, uploads: map[string]object{}}
}

type Driver struct{ s *Store }

// New returns a driver on a new, empty store, wrapped in driver.Base (with
// the OpenTelemetry providers of opts). It never fails; its signature is
// every adapter's.
func New(_ context.Context, _ Params, opts ...driver.Option) (driver.StorageDriver, error) {
	return NewShared(NewStore(), opts...), nil
}

// NewShared returns a driver on store s, which several drivers may share
// (as processes share a bucket).
func NewShared(s *Store, opts ...driver.Option) driver.StorageDriver {
	return driver.Wrap(&Driver{s: s}, opts...)
}

func (d *Driver) Name() string { return Name }

func (d *Driver) GetContent(ctx context.Context, p string) ([]byte, error) {
	d.s.mu.RLock()
	defer d.s.mu.RUnlock()
	o, ok := d.s.objects[p]
	if !ok {
		return nil, driver.PathNotFoundError{Path: p}
	}
	return bytes.Clone(o.data), nil
}

func (d *Driver) PutContent(ctx context.Context, p string, content []byte) error {
	d.s.mu.Lock()
	defer d.s.mu.Unlock()
	d.s.objects[p] = object{data: bytes.Clone(content), modTime: time.Now()}
	return nil
}

func (d *Driver) Reader(ctx context.Context, p string, offset int64) (io.ReadCloser, error) {
	d.s.mu.RLock()
	defer d.s.mu.RUnlock()
	o, ok := d.s.objects[p]
	if !ok {
		return nil, driver.PathNotFoundError{Path: p}
	}
	if offset > int64(len(o.data)) {
		return nil, driver.InvalidOffsetError{Path: p, Offset: offset}
	}
	return io.NopCloser(bytes.NewReader(o.data[offset:])), nil
}

// hasChildren reports whether any object lies under dir.
func (d *Driver) hasChildren(dir string) bool {
	prefix := driver.DirPrefix(dir)
	for k := range d.s.objects {
		if strings.HasPrefix(k, prefix) {
			return true
		}
	}
	return false
}

func (d *Driver) Stat(ctx context.Context, p string) (driver.FileInfo, error) {
	d.s.mu.RLock()
	defer d.s.mu.RUnlock()
	if o, ok := d.s.objects[p]; ok {
		return driver.NewFileInfo(p, int64(len(o.data)), o.modTime), nil
	}
	if p == "/" || d.hasChildren(p) {
		return driver.NewDirInfo(p), nil
	}
	return nil, driver.PathNotFoundError{Path: p}
}

func (d *Driver) List(ctx context.Context, p string) ([]string, error) {
	d.s.mu.RLock()
	defer d.s.mu.RUnlock()
	prefix := driver.DirPrefix(p)
	seen := map[string]struct{}{}
	for k := range d.s.objects {
		if rest, ok := strings.CutPrefix(k, prefix); ok {
			child, _, _ := strings.Cut(rest, "/")
			seen[prefix+child] = struct{}{}
		}
	}
	if len(seen) == 0 && p != "/" {
		return nil, driver.PathNotFoundError{Path: p}
	}
	out := make([]string, 0, len(seen))
	for k := range seen {
		out = append(out, k)
	}
	slices.Sort(out)
	return out, nil
}

func (d *Driver) Move(ctx context.Context, src, dst string) error {
	d.s.mu.Lock()
	defer d.s.mu.Unlock()
	o, ok := d.s.objects[src]
	if !ok {
		return driver.PathNotFoundError{Path: src}
	}
	d.s.objects[dst] = object{data: o.data, modTime: time.Now()}
	delete(d.s.objects, src)
	return nil
}

func (d *Driver) Delete(ctx context.Context, p string) error {
	d.s.mu.Lock()
	defer d.s.mu.Unlock()
	found := false
	if _, ok := d.s.objects[p]; ok {
		delete(d.s.objects, p)
		found = true
	}
	prefix := p + "/"
	for k := range d.s.objects {
		if strings.HasPrefix(k, prefix) {
			delete(d.s.objects, k)
			found = true
		}
	}
	if !found {
		return driver.PathNotFoundError{Path: p}
	}
	return nil
}

func (d *Driver) RedirectURL(*http.Request, string) (string, error) { return "", nil }

// Walk lists the files once, sorted, and lets driver.WalkFiles derive the
// directories: the same path object-store adapters take.
func (d *Driver) Walk(ctx context.Context, p string, f driver.WalkFn, options ...func(*driver.WalkOptions)) error {
	opts := driver.ApplyWalkOptions(options...)
	d.s.mu.RLock()
	prefix := driver.DirPrefix(p)
	var files []driver.FileInfo
	for k, o := range d.s.objects {
		if strings.HasPrefix(k, prefix) && k > opts.StartAfterHint {
			files = append(files, driver.NewFileInfo(k, int64(len(o.data)), o.modTime))
		}
	}
	d.s.mu.RUnlock()
	slices.SortFunc(files, func(a, b driver.FileInfo) int { return strings.Compare(a.Path(), b.Path()) })
	return driver.WalkFiles(ctx, p, func(yield func(driver.FileInfo, error) bool) {
		for _, fi := range files {
			if !yield(fi, nil) {
				return
			}
		}
	}, f, opts)
}
