package filesystem

import (
	"cmp"
	"context"
	"io/fs"
	"iter"
	"os"
	"slices"
	"strings"

	"github.com/stowage/stowage/driver"
)

// Walk implements driver.StorageDriver as the object stores do: a listing
// of the files under p in byte order of their paths, handed to
// driver.WalkFiles, which derives the directories from the files. A
// directory holding no file (emptied by a Move or a Delete) is not shown,
// as on an object store.
//
// The files come in byte order from a depth-first walk whose entries are
// sorted by name, with "/" after each directory's name: "/a-b" sorts before
// everything under "/a/" ('-' < '/'), so the walk visits it first.
// Subtrees that sort entirely before the StartAfterHint are not read.
func (d *Driver) Walk(ctx context.Context, p string, f driver.WalkFn, options ...func(*driver.WalkOptions)) error {
	opts := driver.ApplyWalkOptions(options...)
	if p != "/" {
		fi, err := os.Stat(d.full(p))
		if err != nil {
			return notFound(p, err)
		}
		if !fi.IsDir() {
			return driver.PathNotFoundError{Path: p}
		}
	}
	return driver.WalkFiles(ctx, p, d.files(ctx, p, opts.StartAfterHint), f, opts)
}

// files yields the regular files under dir, in byte order of their paths.
func (d *Driver) files(ctx context.Context, dir, hint string) iter.Seq2[driver.FileInfo, error] {
	return func(yield func(driver.FileInfo, error) bool) {
		d.walkDir(ctx, dir, hint, yield)
	}
}

// walkDir yields the files under dir; it returns false when the walk must
// stop.
func (d *Driver) walkDir(ctx context.Context, dir, hint string, yield func(driver.FileInfo, error) bool) bool {
	if err := ctx.Err(); err != nil {
		return yield(nil, err)
	}
	release := d.acquire()
	entries, err := os.ReadDir(d.full(dir))
	release()
	if err != nil {
		if os.IsNotExist(err) {
			return true // removed while walking
		}
		return yield(nil, err)
	}
	type entry struct {
		name string // with "/" appended for a directory
		e    fs.DirEntry
	}
	sorted := make([]entry, 0, len(entries))
	for _, e := range entries {
		if !visible(e.Name()) {
			continue
		}
		name := e.Name()
		if e.IsDir() {
			name += "/"
		}
		sorted = append(sorted, entry{name, e})
	}
	slices.SortFunc(sorted, func(a, b entry) int { return cmp.Compare(a.name, b.name) })
	for _, en := range sorted {
		child := driver.Join(dir, en.e.Name())
		if en.e.IsDir() {
			// Everything under child sorts before child+"0" ('0' follows '/').
			if hint != "" && child+"0" <= hint {
				continue
			}
			if !d.walkDir(ctx, child, hint, yield) {
				return false
			}
			continue
		}
		if !en.e.Type().IsRegular() || (hint != "" && child <= hint) {
			continue
		}
		info, err := en.e.Info()
		if err != nil {
			if os.IsNotExist(err) {
				continue
			}
			return yield(nil, err)
		}
		if !yield(driver.NewFileInfo(child, info.Size(), info.ModTime()), nil) {
			return false
		}
	}
	return true
}

// removeEmptyParents removes the directories from the parent of p up to,
// not including, the root, as long as they are empty, so that a Move or a
// Delete leaves no empty directory behind (as on an object store).
func (d *Driver) removeEmptyParents(p string) {
	for dir := driver.Parent(p); dir != "/" && strings.HasPrefix(dir, "/"); dir = driver.Parent(dir) {
		if os.Remove(d.full(dir)) != nil {
			return // not empty, or already gone
		}
	}
}
