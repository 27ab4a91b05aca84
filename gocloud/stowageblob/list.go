package stowageblob

import (
	"context"
	"strings"

	"gocloud.dev/blob/driver"

	stowage "github.com/stowage/stowage/driver"
)

// defaultPageSize is the page size of a listing that asks for none.
const defaultPageSize = 1000

// ListPaged implements driver.Bucket with the driver's Walk of the deepest
// directory holding the prefix (see dirPath), decoding each file's path to
// its key. Files come in byte order of their paths, which is key order for
// keys of [A-Za-z0-9._-] segments; a "directory" (the keys sharing a
// prefix up to the delimiter) is listed at its first file. Keys with
// escaped characters are listed in the order of their escaped paths.
//
// A page token holds the path of the last file walked for the objects
// returned, so the next page's Walk starts after it (its StartAfterHint),
// and the directory listed last, so that it is not listed twice.
func (b *bucket) ListPaged(ctx context.Context, opts *driver.ListOptions) (*driver.ListPage, error) {
	if opts.BeforeList != nil {
		if err := opts.BeforeList(func(any) bool { return false }); err != nil {
			return nil, err
		}
	}
	size := opts.PageSize
	if size <= 0 {
		size = defaultPageSize
	}
	l := &lister{prefix: opts.Prefix, delim: opts.Delimiter, size: size, page: &driver.ListPage{}}
	first := len(opts.PageToken) == 0
	if !first {
		l.after, l.group, _ = strings.Cut(string(opts.PageToken), "\x00")
	}
	if first && strings.HasSuffix(l.prefix, "/") {
		// The key equal to a prefix ending in "/" (a directory marker)
		// is not under the walked directory: its trailing "/" is
		// escaped into its last segment.
		if err := l.marker(ctx, b); err != nil {
			return nil, err
		}
	}
	root := dirPath(l.prefix)
	var walkOpts []func(*stowage.WalkOptions)
	if l.after != "" {
		walkOpts = append(walkOpts, stowage.WithStartAfterHint(l.after))
	}
	err := b.d.Walk(ctx, root, l.visit, walkOpts...)
	if err != nil && !(stowage.IsNotFound(err) && len(l.page.Objects) == 0) {
		return nil, err
	}
	return l.page, nil
}

// lister builds one page of a listing.
type lister struct {
	prefix, delim string
	size          int
	page          *driver.ListPage
	after         string // path of the last file walked for the page's objects
	group         string // the directory listed last
}

// marker adds the object whose key is the prefix itself, if any.
func (l *lister) marker(ctx context.Context, b *bucket) error {
	fi, _, err := b.stat(ctx, l.prefix)
	if stowage.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	l.page.Objects = append(l.page.Objects, &driver.ListObject{Key: l.prefix, ModTime: fi.ModTime(), Size: fi.Size()})
	return nil
}

// visit is the WalkFn of a listing.
func (l *lister) visit(fi stowage.FileInfo) error {
	if fi.IsDir() {
		if fi.Path() == "/"+reserved {
			return stowage.ErrSkipDir
		}
		return nil
	}
	key := pathKey(fi.Path())
	if !strings.HasPrefix(key, l.prefix) {
		return nil
	}
	obj := &driver.ListObject{Key: key, ModTime: fi.ModTime(), Size: fi.Size()}
	if l.delim != "" {
		if i := strings.Index(key[len(l.prefix):], l.delim); i >= 0 {
			obj = &driver.ListObject{Key: key[:len(l.prefix)+i+len(l.delim)], IsDir: true}
			if obj.Key == l.group {
				l.after = fi.Path()
				return nil
			}
		}
	}
	if len(l.page.Objects) == l.size {
		l.page.NextPageToken = []byte(l.after + "\x00" + l.group)
		return stowage.ErrFilledBuffer
	}
	l.page.Objects = append(l.page.Objects, obj)
	if obj.IsDir {
		l.group = obj.Key
	}
	l.after = fi.Path()
	return nil
}
