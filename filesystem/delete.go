package filesystem

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// Delete implements driver.StorageDriver: it removes the file at p, or
// every file under the directory p, and then the directories left empty up
// to the root.
func (d *Driver) Delete(ctx context.Context, p string) error {
	defer d.acquire()()
	if _, err := os.Lstat(d.full(p)); err != nil {
		return notFound(p, err)
	}
	if err := removeTree(d.full(p)); err != nil {
		return err
	}
	d.removeEmptyParents(p)
	return nil
}

// removeTree removes the file or the directory tree at name the way an
// object store's recursive delete does: it removes what it finds, and a
// directory that gains an entry while it is emptied (a file stored under
// it at the same time) stays, holding that entry, where os.RemoveAll would
// fail with "directory not empty". distribution's driver suite deletes a
// random path's first element while other streams store under it, and
// garbage collection can delete a repository that is being pushed to.
func removeTree(name string) error {
	err := os.Remove(name) // a file, or an empty directory
	if err == nil || errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if !errors.Is(err, syscall.ENOTEMPTY) && !errors.Is(err, syscall.EEXIST) {
		return err
	}
	entries, err := os.ReadDir(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	for _, e := range entries {
		if err := removeTree(filepath.Join(name, e.Name())); err != nil {
			return err
		}
	}
	err = os.Remove(name)
	if err == nil || errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTEMPTY) || errors.Is(err, syscall.EEXIST) {
		return nil
	}
	return err
}
