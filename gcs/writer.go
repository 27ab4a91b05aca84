package gcs

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"cloud.google.com/go/storage"

	"github.com/stowage/stowage/driver"
)

// An upload is kept as hidden part objects under the upload directory of
// its path (see uploadDir), one per writer session:
//
//	<root>.uploads/<hash of path>/part-000001
//	<root>.uploads/<hash of path>/part-000002
//
// Each session streams its bytes into its part with a resumable upload of
// chunksize requests; Close finishes the part, so a writer in another
// process resumes by listing the parts (Size is the sum of their sizes).
// Commit composes the parts into the destination in one atomic compose
// request (through intermediate composites when there are more than 32),
// then deletes them. Cancel deletes them. Appending to a committed object
// first copies it, server side, to part-000000.

const (
	partPrefix   = "part-"
	maxCompose   = 32
	pathMetadata = "stowage-path"
)

type part struct {
	name string
	size int64
}

type writer struct {
	d      *Driver
	ctx    context.Context
	path   string
	dir    string
	parts  []part
	stored int64
	next   int

	cur     *storage.Writer
	cancel  context.CancelFunc
	curName string
	curN    int64
	err     error
}

// Writer implements driver.StorageDriver.
func (d *Driver) Writer(ctx context.Context, path string, appendMode bool) (driver.FileWriter, error) {
	w := &writer{d: d, ctx: ctx, path: path, dir: d.uploadDir(path), next: 1}
	if !appendMode {
		if _, err := d.deletePrefix(ctx, w.dir, ""); err != nil {
			return nil, err
		}
		return w, nil
	}
	parts, err := d.listParts(ctx, w.dir)
	if err != nil {
		return nil, err
	}
	if len(parts) == 0 {
		// Append to a committed object: its content becomes part 0.
		src := d.bucket.Object(d.key(path))
		dst := d.bucket.Object(w.dir + partName(0))
		c := dst.CopierFrom(src)
		c.Metadata = map[string]string{pathMetadata: path}
		attrs, err := c.Run(ctx)
		if err != nil {
			if isNotExist(err) {
				return nil, driver.PathNotFoundError{Path: path}
			}
			return nil, err
		}
		parts = []part{{name: attrs.Name, size: attrs.Size}}
	}
	w.parts = parts
	for _, p := range parts {
		w.stored += p.size
	}
	last := strings.TrimPrefix(parts[len(parts)-1].name, w.dir+partPrefix)
	n, err := strconv.Atoi(last)
	if err != nil {
		return nil, fmt.Errorf("unexpected upload part %q", parts[len(parts)-1].name)
	}
	w.next = n + 1
	return w, nil
}

func partName(n int) string { return fmt.Sprintf("%s%06d", partPrefix, n) }

func (d *Driver) listParts(ctx context.Context, dir string) ([]part, error) {
	q := &storage.Query{Prefix: dir + partPrefix}
	_ = q.SetAttrSelection([]string{"Name", "Size"})
	it := d.bucket.Objects(ctx, q)
	var parts []part
	for {
		attrs, err := it.Next()
		if err != nil {
			if isDone(err) {
				return parts, nil
			}
			return nil, err
		}
		parts = append(parts, part{name: attrs.Name, size: attrs.Size})
	}
}

// open starts the part object of this session.
func (w *writer) open() {
	ctx, cancel := context.WithCancel(w.ctx)
	w.curName = w.dir + partName(w.next)
	w.next++
	w.cur = w.d.bucket.Object(w.curName).NewWriter(ctx)
	w.cur.ChunkSize = w.d.chunkSize
	w.cur.ContentType = "application/octet-stream"
	w.cur.Metadata = map[string]string{pathMetadata: w.path}
	w.cancel = cancel
	w.curN = 0
}

func (w *writer) Write(p []byte) (int, error) {
	if w.err != nil {
		return 0, w.err
	}
	if w.cur == nil {
		w.open()
	}
	n, err := w.cur.Write(p)
	w.curN += int64(n)
	if err != nil {
		w.err = err
	}
	return n, err
}

func (w *writer) Size() int64 { return w.stored + w.curN }

// finish closes the session's part, if any, and records it.
func (w *writer) finish() error {
	if w.cur == nil {
		return w.err
	}
	err := w.cur.Close()
	w.cancel()
	cur := w.cur
	w.cur = nil
	if err == nil && w.err != nil {
		err = w.err
	}
	if err != nil {
		w.err = err
		return err
	}
	w.parts = append(w.parts, part{name: cur.Attrs().Name, size: cur.Attrs().Size})
	w.stored += cur.Attrs().Size
	w.curN = 0
	return nil
}

// Close keeps the upload: the session's part is stored so that a later
// Writer(path, true) continues it. An upload with no bytes yet gets an
// empty part, so that it can be resumed too.
func (w *writer) Close() error {
	if w.cur == nil && len(w.parts) == 0 && w.err == nil {
		w.open()
	}
	return w.finish()
}

// Commit composes the parts into the destination, atomically, and removes
// them.
func (w *writer) Commit(ctx context.Context) error {
	if err := w.finish(); err != nil {
		return err
	}
	dst := w.d.bucket.Object(w.d.key(w.path))
	if len(w.parts) == 0 {
		ow := dst.NewWriter(ctx)
		ow.ContentType = "application/octet-stream"
		if err := ow.Close(); err != nil {
			return err
		}
		return nil
	}
	names := make([]string, len(w.parts))
	for i, p := range w.parts {
		names[i] = p.name
	}
	if err := w.compose(ctx, dst, names, 0); err != nil {
		return err
	}
	_, err := w.d.deletePrefix(ctx, w.dir, "")
	return err
}

// compose writes the concatenation of the objects named srcs to dst, in
// groups of 32 through intermediate objects in the upload directory.
func (w *writer) compose(ctx context.Context, dst *storage.ObjectHandle, srcs []string, level int) error {
	if len(srcs) > maxCompose {
		var next []string
		for i := 0; i < len(srcs); i += maxCompose {
			group := srcs[i:min(i+maxCompose, len(srcs))]
			name := fmt.Sprintf("%scompose-%02d-%06d", w.dir, level, i/maxCompose)
			if err := w.compose(ctx, w.d.bucket.Object(name), group, level+1); err != nil {
				return err
			}
			next = append(next, name)
		}
		return w.compose(ctx, dst, next, level+1)
	}
	if len(srcs) == 1 {
		// One part: a rewrite, which GCS does without copying data when
		// location and storage class match.
		c := dst.CopierFrom(w.d.bucket.Object(srcs[0]))
		c.ContentType = "application/octet-stream"
		_, err := c.Run(ctx)
		return err
	}
	handles := make([]*storage.ObjectHandle, len(srcs))
	for i, s := range srcs {
		handles[i] = w.d.bucket.Object(s)
	}
	c := dst.ComposerFrom(handles...)
	c.ContentType = "application/octet-stream"
	_, err := c.Run(ctx)
	return err
}

// Cancel aborts the session and deletes every part of the upload.
func (w *writer) Cancel(ctx context.Context) error {
	if w.cur != nil {
		w.cancel()
		_ = w.cur.Close()
		w.cur = nil
	}
	_, err := w.d.deletePrefix(ctx, w.dir, "")
	return err
}
