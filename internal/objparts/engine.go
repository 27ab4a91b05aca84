// Package objparts is the upload engine of the adapters whose store keeps
// an upload as hidden part objects (gcs, gocloud): resumable writers over a
// small Store interface each adapter implements with its SDK.
//
// Each writer session streams its bytes into a new part object under the
// upload's prefix in the key layout (internal/layout):
//
//	<root>~uploads/<path>~part-000001
//	<root>~uploads/<path>~part-000002
//
// A session first buffers up to ChunkSize bytes; past that it opens the
// part with Store.Create and streams into it, so a writer holds at most
// ChunkSize bytes whatever it is given. With Config.Parallel on a store
// that composes (GCS), every ChunkSize bytes are a part of their own
// instead, stored with one Put each, Parallel at a time while the writer
// fills the next buffer: a parallel composite upload. Close finishes the
// session's part (a session that never filled the buffer stores it with
// one Put), so that a writer in any process resumes the upload by listing
// the parts, numbered without a gap (any stored after a gap by a parallel
// writer that failed are deleted): Size is the sum of their sizes. Commit
// assembles the parts into the object at the path: with one Compose (in
// groups of MaxCompose, through intermediate composites) where the store
// is a Composer, with one server-side Copy when there is a single part,
// and otherwise by streaming the parts, in order, into one new object. It
// then deletes the parts. Cancel deletes them.
//
// A new upload (appendMode false) sends no request. An older upload closed
// at the same path and never finished is removed when the new one first
// closes or stores its first parallel part, or after it commits. The fast
// path: an upload written in one session that was never closed and never
// filled the buffer is stored at its path with a single Put (the older
// upload's parts removed meanwhile). Appending to a committed object
// starts from a server-side copy of it as part 0.
package objparts

import (
	"context"
	"fmt"
	"iter"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/stowage/stowage/driver"
	"github.com/stowage/stowage/internal/deltree"
	"github.com/stowage/stowage/internal/inflight"
	"github.com/stowage/stowage/internal/layout"
)

// partPrefix starts the name of every part, after the upload's prefix.
const partPrefix = "part-"

// Config is the engine's configuration.
type Config struct {
	// ChunkSize is how many bytes a session buffers before it streams its
	// part (and the most a writer holds in memory).
	ChunkSize int64
	// Concurrency bounds the deletes and composes one writer has in
	// flight.
	Concurrency int
	// Parallel, above 1 where the store is a Composer, makes a writer
	// store its bytes as parts of ChunkSize, each in one request (Put),
	// Parallel of them in flight while it fills the next: a parallel
	// composite upload, which Commit assembles with Compose. A writer then
	// holds up to Parallel+1 buffers of ChunkSize, pooled across the
	// engine's writers. 0 or 1 streams each session into one part.
	Parallel int
	// Fail turns a store error about path into the driver's error.
	// Not-found errors are turned into driver.PathNotFoundError before
	// Fail sees them.
	Fail func(path string, err error) error
}

// Engine makes the writers of one driver.
type Engine struct {
	store    Store
	layout   layout.Layout
	cfg      Config
	parallel bool              // parts of ChunkSize, Parallel in flight
	bufs     *inflight.Buffers // of cap ChunkSize, when parallel
}

// New returns an engine over store, keeping upload state where l says.
func New(store Store, l layout.Layout, cfg Config) *Engine {
	if cfg.ChunkSize < 1 {
		cfg.ChunkSize = 5 << 20
	}
	if cfg.Concurrency < 1 {
		cfg.Concurrency = 1
	}
	if cfg.Fail == nil {
		cfg.Fail = func(_ string, err error) error { return err }
	}
	e := &Engine{store: store, layout: l, cfg: cfg}
	if _, ok := store.(Composer); ok && cfg.Parallel > 1 {
		e.parallel, e.bufs = true, inflight.NewBuffers(cfg.ChunkSize)
	}
	return e
}

// PartKey returns the key of part n of the upload to path.
func (e *Engine) PartKey(path string, n int) string {
	return e.layout.Upload(path) + partName(n)
}

func partName(n int) string { return fmt.Sprintf("%s%06d", partPrefix, n) }

// partNumber returns the number of the part whose name (after the upload's
// prefix) is name, or false for another object of the upload (such as an
// intermediate composite).
func partNumber(name string) (int, bool) {
	digits, ok := strings.CutPrefix(name, partPrefix)
	if !ok || digits == "" {
		return 0, false
	}
	n, err := strconv.Atoi(digits)
	return n, err == nil && n >= 0
}

func (e *Engine) fail(path string, err error) error {
	return driver.MapError(path, err, e.store.NotFound, e.cfg.Fail)
}

// Writer starts (appendMode false) or resumes (true) an upload to path.
//
// A new upload sends no request. Resuming lists the parts of the upload;
// with none, the committed object at path (a PathNotFoundError when there
// is none) becomes the start of a new upload: a server-side copy of it is
// part 0.
func (e *Engine) Writer(ctx context.Context, path string, appendMode bool) (driver.FileWriter, error) {
	w := &writer{e: e, ctx: ctx, path: path, key: e.layout.Key(path), prefix: e.layout.Upload(path), next: 1}
	if !appendMode {
		return w, nil
	}
	w.resumed = true
	parts, err := e.resumeParts(ctx, w.prefix)
	if err != nil {
		return nil, e.fail(path, err)
	}
	if len(parts) > 0 {
		w.parts = parts
		for _, p := range parts {
			w.stored += p.Size
		}
		w.next = parts[len(parts)-1].Number + 1
		return w, nil
	}
	size, err := e.store.Head(ctx, w.key)
	if err != nil {
		return nil, e.fail(path, err)
	}
	if size > 0 {
		p := Part{Number: 0, Key: w.prefix + partName(0), Size: size}
		if err := e.store.Copy(ctx, p.Key, w.key, size); err != nil {
			return nil, e.fail(path, err)
		}
		w.parts = []Part{p}
		w.stored = size
	}
	return w, nil
}

// parts lists the parts stored under an upload's prefix, in order.
func (e *Engine) parts(ctx context.Context, prefix string) ([]Part, error) {
	var parts []Part
	for o, err := range e.store.List(ctx, prefix) {
		if err != nil {
			return nil, err
		}
		if n, ok := partNumber(strings.TrimPrefix(o.Key, prefix)); ok {
			parts = append(parts, Part{Number: n, Key: o.Key, Size: o.Size})
		}
	}
	slices.SortFunc(parts, func(a, b Part) int { return a.Number - b.Number })
	return parts, nil
}

// resumeParts returns the parts of the upload under prefix that a writer
// resumes: from the first (0 or 1) on, without a gap in their numbers.
// Parts after a gap, stored by a parallel writer that failed or died while
// an earlier part was in flight, are deleted, so that none of them joins
// the upload when a later writer stores the missing number.
func (e *Engine) resumeParts(ctx context.Context, prefix string) ([]Part, error) {
	parts, err := e.parts(ctx, prefix)
	if err != nil {
		return nil, err
	}
	n := 0
	for n < len(parts) && parts[n].Number == n+parts[0].Number && (n > 0 || parts[0].Number <= 1) {
		n++
	}
	for _, p := range parts[n:] {
		if err := e.store.Delete(ctx, p.Key); err != nil && !e.store.NotFound(err) {
			return nil, err
		}
	}
	return parts[:n], nil
}

// deleteUpload deletes every object under an upload's prefix: its parts and
// any intermediate composites.
func (e *Engine) deleteUpload(ctx context.Context, prefix string) error {
	_, err := deltree.Tree(ctx, keys{e.store}, "", prefix, deltree.Config{Batch: 1, Concurrency: e.cfg.Concurrency})
	return err
}

// keys is the Store seen by deltree.
type keys struct{ s Store }

func (k keys) List(ctx context.Context, prefix string) iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		for o, err := range k.s.List(ctx, prefix) {
			if !yield(o.Key, err) || err != nil {
				return
			}
		}
	}
}

func (k keys) Delete(ctx context.Context, ks []string) error {
	for _, key := range ks {
		if err := k.s.Delete(ctx, key); err != nil && !k.s.NotFound(err) {
			return err
		}
	}
	return nil
}

// DeleteKey is not called: the engine gives Tree no exact key.
func (k keys) DeleteKey(ctx context.Context, key string) (bool, error) {
	return true, k.Delete(ctx, []string{key})
}

// Purge deletes the uploads under the root whose newest object (part or
// composite) is older than cutoff, and returns how many it removed.
func (e *Engine) Purge(ctx context.Context, cutoff time.Time) (int, error) {
	newest := map[string]time.Time{}
	var order []string
	for o, err := range e.store.List(ctx, e.layout.Uploads()) {
		if err != nil {
			return 0, e.fail("/", err)
		}
		path, _, ok := e.layout.UploadPath(o.Key)
		if !ok {
			continue
		}
		prefix := e.layout.Upload(path)
		t, seen := newest[prefix]
		if !seen {
			order = append(order, prefix)
		}
		if !seen || o.Modified.After(t) {
			newest[prefix] = o.Modified
		}
	}
	n := 0
	for _, prefix := range order {
		if !newest[prefix].Before(cutoff) {
			continue
		}
		if err := e.deleteUpload(ctx, prefix); err != nil {
			return n, e.fail("/", err)
		}
		n++
	}
	return n, nil
}
