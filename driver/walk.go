package driver

import (
	"container/heap"
	"context"
	"errors"
	"iter"
	"slices"
	"strings"
)

// WalkFn is called by Walk for every file and directory. Returning
// ErrSkipDir for a directory skips everything under it; ErrFilledBuffer
// stops the walk without error; any other error stops the walk and is
// returned by Walk.
type WalkFn func(fi FileInfo) error

// WalkOptions holds the options of Walk.
type WalkOptions struct {
	// StartAfterHint makes Walk skip every entry whose path is not
	// greater than it (byte order).
	StartAfterHint string
}

// WithStartAfterHint sets WalkOptions.StartAfterHint.
func WithStartAfterHint(path string) func(*WalkOptions) {
	return func(o *WalkOptions) { o.StartAfterHint = path }
}

// ApplyWalkOptions folds options into a WalkOptions value.
func ApplyWalkOptions(options ...func(*WalkOptions)) WalkOptions {
	var o WalkOptions
	for _, opt := range options {
		opt(&o)
	}
	return o
}

// ErrSkipDir, returned by a WalkFn for a directory, skips the directory.
var ErrSkipDir = errors.New("skip this directory")

// ErrFilledBuffer, returned by a WalkFn, ends the walk early without error.
var ErrFilledBuffer = errors.New("we have enough data")

// walkEmitter calls the WalkFn in order, honouring ErrSkipDir and the hint.
type walkEmitter struct {
	f    WalkFn
	hint string
	// skip holds the prefixes of skipped directories. In byte order the
	// entries under "/a/" are not contiguous with "/a" ("/a-b" comes
	// between), so several can be pending; one is dropped once the walk
	// passes everything under it.
	skip []string
	done bool
}

// emit calls f for fi. It returns a non-nil error to stop the walk; done is
// set when the walk ended early without error.
func (e *walkEmitter) emit(fi FileInfo) error {
	p := fi.Path()
	if p <= e.hint {
		return nil
	}
	for i := 0; i < len(e.skip); i++ {
		prefix := e.skip[i]
		if strings.HasPrefix(p, prefix) {
			return nil
		}
		// Everything under prefix sorts before prefix with '/' replaced by '0'.
		if p > prefix[:len(prefix)-1]+"0" {
			e.skip = append(e.skip[:i], e.skip[i+1:]...)
			i--
		}
	}
	err := e.f(fi)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, ErrSkipDir):
		if fi.IsDir() {
			e.skip = append(e.skip, p+"/")
		}
		return nil
	case errors.Is(err, ErrFilledBuffer):
		e.done = true
		return err
	default:
		return err
	}
}

func (e *walkEmitter) result(err error) error {
	if e.done {
		return nil
	}
	return err
}

// WalkFiles walks a flat listing of the files under root, given in byte
// order of their paths, as object stores list keys. It derives the
// directories from the file paths and calls f for files and directories in
// byte order, a directory before anything under it, which needs a small
// reorder buffer: a directory "/a" sorts before a file "/a-b" listed ahead of
// the first key under "/a/". Adapters list from the StartAfterHint, so the
// listing need not include paths not greater than the hint. An empty listing
// of a root other than "/" without a hint is a PathNotFoundError.
func WalkFiles(ctx context.Context, root string, files iter.Seq2[FileInfo, error], f WalkFn, opts WalkOptions) error {
	rootPrefix := DirPrefix(root)
	em := &walkEmitter{f: f, hint: opts.StartAfterHint}
	listed := false
	var h fileHeap
	seen := map[string]struct{}{}
	// candidate returns the smallest directory not yet seen that a later key
	// could still produce and that sorts before p.
	candidate := func(p string) (string, bool) {
		for i := len(rootPrefix) + 1; i < len(p); i++ {
			if (p[i] == '-' || p[i] == '.') && p[i-1] != '/' {
				d := p[:i]
				if _, ok := seen[d]; ok || d <= em.hint {
					continue
				}
				return d, true
			}
		}
		return "", false
	}
	for fi, err := range files {
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		p := fi.Path()
		if p <= em.hint || !strings.HasPrefix(p, rootPrefix) {
			continue
		}
		listed = true
		for i := len(rootPrefix); i < len(p); i++ {
			if p[i] != '/' {
				continue
			}
			d := p[:i]
			if _, ok := seen[d]; ok {
				continue
			}
			seen[d] = struct{}{}
			if d > em.hint {
				heap.Push(&h, NewDirInfo(d))
			}
		}
		heap.Push(&h, fi)
		bound, strict := candidate(p)
		if !strict {
			bound = p
		}
		for h.Len() > 0 {
			next := h[0].Path()
			if next > bound || (strict && next == bound) {
				break
			}
			if err := em.emit(heap.Pop(&h).(FileInfo)); err != nil {
				return em.result(err)
			}
		}
	}
	for h.Len() > 0 {
		if err := em.emit(heap.Pop(&h).(FileInfo)); err != nil {
			return em.result(err)
		}
	}
	if !listed && root != "/" && opts.StartAfterHint == "" {
		return PathNotFoundError{Path: root}
	}
	return nil
}

type fileHeap []FileInfo

func (h fileHeap) Len() int           { return len(h) }
func (h fileHeap) Less(i, j int) bool { return h[i].Path() < h[j].Path() }
func (h fileHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *fileHeap) Push(x any)        { *h = append(*h, x.(FileInfo)) }
func (h *fileHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// WalkFallback implements Walk with List and Stat, for drivers without a
// native recursive listing. It gathers the entries under path, sorts them
// and calls f in byte order. Subtrees that sort entirely before the
// StartAfterHint are not listed.
func WalkFallback(ctx context.Context, d StorageDriver, path string, f WalkFn, options ...func(*WalkOptions)) error {
	opts := ApplyWalkOptions(options...)
	var entries []FileInfo
	var gather func(dir string) error
	gather = func(dir string) error {
		children, err := d.List(ctx, dir)
		if err != nil {
			return err
		}
		for _, child := range children {
			// Everything under child sorts before child+"0" ('0' follows '/').
			if opts.StartAfterHint != "" && child+"0" <= opts.StartAfterHint {
				continue
			}
			fi, err := d.Stat(ctx, child)
			if err != nil {
				if IsNotFound(err) {
					continue // removed while walking
				}
				return err
			}
			entries = append(entries, fi)
			if fi.IsDir() {
				if err := gather(child); err != nil && !IsNotFound(err) {
					return err
				}
			}
		}
		return nil
	}
	if err := gather(path); err != nil {
		return err
	}
	slices.SortFunc(entries, func(a, b FileInfo) int { return strings.Compare(a.Path(), b.Path()) })
	em := &walkEmitter{f: f, hint: opts.StartAfterHint}
	for _, fi := range entries {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := em.emit(fi); err != nil {
			return em.result(err)
		}
	}
	return nil
}
