package swift

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"

	ncw "github.com/ncw/swift/v2"
	"golang.org/x/sync/errgroup"

	"github.com/stowage/stowage/driver"
	"github.com/stowage/stowage/internal/inflight"
)

// Writer implements driver.StorageDriver. Data is buffered up to chunksize
// and stored as segments in the segments container, maxconcurrency of them
// in flight while the writer fills the next (buffers pooled across the
// driver's writers); Commit writes the object: the data itself when it
// never left the buffer, a server-side copy of a single segment, or a
// manifest (SLO where the cluster has it, DLO otherwise). A marker object
// records the upload so that another driver instance can resume it, with
// the segments numbered 1, 2, ... without a gap: a writer that failed or
// died with segments in flight may leave a later one stored where an
// earlier one is missing, and resuming deletes what follows the gap.
//
// A new writer (appendMode false) sends no request. An older upload closed
// at the same path and never committed is replaced when the new one first
// stores its marker (conditional on no marker being there, so that the
// usual case costs nothing), or removed beside its Commit or Cancel.
// Resuming reads the marker and lists the upload's segments at the same
// time.
func (d *Driver) Writer(ctx context.Context, path string, appendMode bool) (driver.FileWriter, error) {
	w := &writer{d: d, path: path, ctx: ctx, next: 1}
	if !appendMode {
		w.m = &marker{Path: path, ID: newUploadID()}
		w.fresh = true
		return w, nil
	}
	m, segs, err := d.resumeState(ctx, path)
	if err != nil {
		return nil, err
	}
	if m != nil {
		w.m, w.markerWritten, w.own, w.next = m, true, segs, len(segs)+1
		w.countStored()
		return w, nil
	}
	// Append to the committed object: it becomes the start of a new upload.
	w.m = &marker{Path: path, ID: newUploadID()}
	info, _, kind, segs, err := d.inspect(ctx, d.key(path))
	if err != nil {
		return nil, fail(path, err)
	}
	switch {
	case kind == sloObject && d.features.slo:
		w.m.Base = segs // referenced by the new manifest as they are
	case kind != plainObject:
		// DLO segments must all sit under the upload's prefix: copy them.
		for _, s := range segs {
			if err := w.copyIn(ctx, s.Container, s.Name); err != nil {
				return nil, err
			}
		}
	case info.Bytes >= d.chunkSize:
		if err := w.copyIn(ctx, d.container, d.key(path)); err != nil {
			return nil, err
		}
	case info.Bytes > 0:
		// Smaller than a segment: it starts the buffer, so that a small
		// object stays a plain object.
		var buf bytes.Buffer
		if _, err := d.conn.ObjectGet(ctx, d.container, d.key(path), &buf, false, nil); err != nil {
			return nil, fail(path, err)
		}
		w.buf = append(d.bufs.Get(d.chunkSize), buf.Bytes()...)
	}
	w.countStored()
	return w, nil
}

// resumeState returns the upload in progress at path (nil if none) and its
// segments, reading the marker and listing the segments of every upload
// of the path in parallel (one round trip), then keeping the marker's:
// those numbered 1, 2, ... up to the first number missing. Segments after
// a gap (stored while an earlier one failed) are deleted, so that none of
// them joins the upload when a later writer fills the gap.
func (d *Driver) resumeState(ctx context.Context, path string) (*marker, []segment, error) {
	var (
		m    *marker
		segs []segment
	)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) { m, err = d.readMarker(gctx, path); return err })
	g.Go(func() (err error) {
		segs, err = d.listSegments(gctx, strings.TrimSuffix(d.uploadPrefix(path, ""), "/"))
		return err
	})
	if err := g.Wait(); err != nil {
		return nil, nil, err
	}
	if m == nil {
		return nil, nil, nil
	}
	own, strays := contiguous(segs, d.uploadPrefix(path, m.ID))
	if err := d.deleteSegments(ctx, strays, nil); err != nil {
		return nil, nil, err
	}
	return m, own, nil
}

// contiguous returns the segments under prefix numbered 1, 2, ... n
// without a gap, in order, and the others under prefix (after the first
// gap, or not named by a number).
func contiguous(segs []segment, prefix string) (own, strays []segment) {
	byNumber := map[int]segment{}
	for _, s := range segs {
		rest, ok := strings.CutPrefix(s.Name, prefix)
		if !ok {
			continue
		}
		if n, err := strconv.Atoi(rest); err == nil && n > 0 && len(rest) == 8 {
			byNumber[n] = s
		} else {
			strays = append(strays, s)
		}
	}
	for n := 1; ; n++ {
		s, ok := byNumber[n]
		if !ok {
			break
		}
		own = append(own, s)
		delete(byNumber, n)
	}
	for _, s := range byNumber {
		strays = append(strays, s)
	}
	return own, strays
}

// olderUpload returns the upload closed at the writer's path by another
// writer (nil if none), for a new writer that replaces it.
func (w *writer) olderUpload(ctx context.Context) (*marker, error) {
	m, err := w.d.readMarker(ctx, w.path)
	if err != nil || m == nil || m.ID == w.m.ID {
		return nil, err
	}
	return m, nil
}

// discardUpload removes the upload m describes: its segments and marker.
func (d *Driver) discardUpload(ctx context.Context, m *marker) error {
	segs, err := d.listSegments(ctx, d.uploadPrefix(m.Path, m.ID))
	if err != nil {
		return err
	}
	if err := d.deleteSegments(ctx, segs, nil); err != nil {
		return err
	}
	return d.deleteMarker(ctx, m.Path)
}

type writer struct {
	d             *Driver
	path          string
	ctx           context.Context // the Writer's: no segment starts once it ends
	m             *marker
	markerWritten bool
	// fresh is set for a new upload (appendMode false) until it stores its
	// marker: an older upload closed at the path may still have one.
	fresh bool
	next  int // number of the next segment

	mu     sync.Mutex
	own    []segment // segments under the upload's prefix, in any order until sorted
	stored int64     // bytes in Base and own, including segments in flight

	// inflight runs the segment uploads, maxconcurrency at a time; nil
	// until the first segment is dispatched.
	inflight *inflight.Group
	buf      []byte // from the driver's pool once written to
}

func (w *writer) countStored() {
	w.stored = 0
	for _, s := range w.m.Base {
		w.stored += s.Size
	}
	for _, s := range w.own {
		w.stored += s.Size
	}
}

// nextSegmentName names the next segment and counts it.
func (w *writer) nextSegmentName() string {
	w.next++
	return w.d.uploadPrefix(w.path, w.m.ID) + fmt.Sprintf("%08d", w.next-1)
}

// copyIn copies an object into the upload as its next segment, server side.
func (w *writer) copyIn(ctx context.Context, container, name string) error {
	if err := w.ensureMarker(ctx); err != nil {
		return err
	}
	dst := w.nextSegmentName()
	if _, err := w.d.conn.ObjectCopy(ctx, container, name, w.d.segContainer, dst, nil); err != nil {
		return err
	}
	info, _, err := w.d.conn.Object(ctx, w.d.segContainer, dst)
	if err != nil {
		return err
	}
	w.own = append(w.own, segment{Container: w.d.segContainer, Name: dst, Etag: info.Hash, Size: info.Bytes})
	return nil
}

// ensureMarker stores the upload's marker if it has none yet. A new
// upload stores it on condition that no marker is at the path; when one is,
// the older upload it names is removed first.
func (w *writer) ensureMarker(ctx context.Context) error {
	if w.markerWritten {
		return nil
	}
	if w.fresh {
		err := w.putMarker(ctx, ncw.Headers{"If-None-Match": "*"})
		if statusOf(err) == http.StatusPreconditionFailed {
			var old *marker
			if old, err = w.olderUpload(ctx); err == nil && old != nil {
				err = w.d.discardUpload(ctx, old)
			}
			if err == nil {
				err = w.putMarker(ctx, nil)
			}
		}
		if err != nil {
			return err
		}
		w.fresh = false
	} else if err := w.putMarker(ctx, nil); err != nil {
		return err
	}
	w.markerWritten = true
	return nil
}

// putMarker stores the writer's marker, with extra headers h.
func (w *writer) putMarker(ctx context.Context, h ncw.Headers) error {
	if len(h) == 0 {
		return w.d.writeMarker(ctx, w.m)
	}
	b, _ := json.Marshal(w.m)
	headers := ncw.Headers{"Content-Length": strconv.Itoa(len(b))}
	maps.Copy(headers, h)
	_, err := w.d.conn.ObjectPut(ctx, w.d.segContainer, w.d.markerName(w.path), bytes.NewReader(b), false, "", "application/json", headers)
	return err
}

// replaced runs, beside the Commit or Cancel of a new upload that never
// stored its marker, the lookup of an older upload closed at the same
// path, and returns a function that removes it (once the commit or cancel
// succeeded) and reports the first error.
func (w *writer) replaced(ctx context.Context) func(done bool) error {
	if !w.fresh || w.markerWritten {
		return func(bool) error { return nil }
	}
	type result struct {
		m   *marker
		err error
	}
	ch := make(chan result, 1)
	go func() {
		m, err := w.olderUpload(ctx)
		ch <- result{m, err}
	}()
	return func(done bool) error {
		r := <-ch
		if !done || r.err != nil || r.m == nil {
			return r.err
		}
		return w.d.discardUpload(ctx, r.m)
	}
}

// Write implements io.Writer. Every time the buffer fills a segment, the
// segment is stored in the background; Write waits only when
// maxconcurrency segments are already in flight.
func (w *writer) Write(p []byte) (int, error) {
	if err := w.failed(); err != nil {
		return 0, err
	}
	n := 0
	for len(p) > 0 {
		if w.buf == nil {
			w.buf = w.d.bufs.Get(w.d.chunkSize)
		}
		k := min(int(w.d.chunkSize)-len(w.buf), len(p))
		w.buf = append(w.buf, p[:k]...)
		p = p[k:]
		n += k
		if int64(len(w.buf)) == w.d.chunkSize {
			if err := w.flush(w.ctx); err != nil {
				return n, err
			}
		}
	}
	return n, nil
}

// failed returns the first failure of a segment upload, or nil.
func (w *writer) failed() error {
	if w.inflight == nil {
		return nil
	}
	return w.inflight.Err()
}

// flush stores the buffer as the next segment in the background (after the
// marker, synchronously, for the first one). The buffer belongs to the
// upload from then on and goes back to the pool once stored.
func (w *writer) flush(ctx context.Context) error {
	if len(w.buf) == 0 {
		return nil
	}
	if err := w.ensureMarker(ctx); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err // nothing starts once the caller's context is done
	}
	if w.inflight == nil {
		// A segment in flight is not abandoned when ctx ends (see
		// Cancel); waits abandon them when their own context ends, and
		// nothing holds them longer than inflight.Grace after ctx ended.
		w.inflight = inflight.NewDetached(ctx, w.d.concurrency, inflight.Grace)
	}
	b, name := w.buf, w.nextSegmentName()
	w.buf = nil
	w.mu.Lock()
	w.stored += int64(len(b))
	w.mu.Unlock()
	w.inflight.Go(func(ctx context.Context) error {
		defer w.d.bufs.Put(b)
		h, err := w.d.conn.ObjectPut(withBody(ctx, b), w.d.segContainer, name, bytes.NewReader(b), false, "", contentType,
			ncw.Headers{"Content-Length": strconv.Itoa(len(b))})
		if err != nil {
			return err
		}
		w.mu.Lock()
		w.own = append(w.own, segment{Container: w.d.segContainer, Name: name, Etag: h["Etag"], Size: int64(len(b))})
		w.mu.Unlock()
		return nil
	})
	return w.failed()
}

// wait waits for the segments in flight (abandoning them if ctx ends
// first) and returns the first failure; the writer's segments are then in
// order.
func (w *writer) wait(ctx context.Context) error {
	if w.inflight == nil {
		return nil
	}
	err := w.inflight.WaitFor(ctx)
	slices.SortFunc(w.own, func(a, b segment) int { return strings.Compare(a.Name, b.Name) })
	if err != nil {
		return err // the group is kept: the writer fails from now on
	}
	w.inflight = nil
	return nil
}

func (w *writer) Size() int64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.stored + int64(len(w.buf))
}

// releaseBuffer returns the buffer to the pool.
func (w *writer) releaseBuffer() {
	if w.buf != nil {
		w.d.bufs.Put(w.buf)
		w.buf = nil
	}
}

// Close stores what is buffered and keeps the upload for Writer(path, true).
func (w *writer) Close() error {
	defer w.releaseBuffer()
	if err := w.flush(w.ctx); err != nil {
		return err
	}
	if err := w.wait(w.ctx); err != nil {
		return err
	}
	return w.ensureMarker(w.ctx)
}

// Cancel waits for the segment uploads in flight (within ctx) and removes
// the upload's segments and marker; the segments of a committed object it
// was appending to are left alone. A segment in flight is not abandoned: a
// PUT Swift has received whole may still store its segment after the
// client gave up on it, and would land after the segments were deleted,
// an orphan only PurgeUploads finds.
func (w *writer) Cancel(ctx context.Context) error {
	if w.inflight != nil {
		_ = w.inflight.WaitFor(ctx)
	}
	w.releaseBuffer()
	if !w.markerWritten {
		// A new upload that stored nothing: an older one closed at the
		// path goes too.
		return w.replaced(ctx)(true)
	}
	return w.d.discardUpload(ctx, w.m)
}

// Commit makes the object visible at its path at once.
func (w *writer) Commit(ctx context.Context) error {
	d := w.d
	key := d.key(w.path)
	d.writing(key) // whatever the commit ends with
	if len(w.m.Base) == 0 && w.next == 1 {
		return w.commitBuffer(ctx, key)
	}
	// What the path holds now (a large object whose segments go once it
	// is replaced) is looked up beside the upload of the last segment.
	var (
		oldKind objectKind
		oldSegs []segment
	)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		var err error
		_, _, oldKind, oldSegs, err = d.inspect(gctx, key)
		if isNotFound(err) {
			err = nil
		}
		return err
	})
	g.Go(func() error {
		ctx := w.ctx
		if w.inflight == nil {
			// No segment in flight: the last one goes with the commit's
			// context.
			ctx = gctx
		}
		if err := w.flush(ctx); err != nil {
			return err
		}
		return w.wait(gctx)
	})
	err := g.Wait()
	if err != nil {
		return err
	}
	segs := append(append([]segment{}, w.m.Base...), w.own...)
	switch {
	case len(segs) == 0:
		_, err = w.putBuffer(ctx, key, nil)
	case len(segs) == 1 && len(w.m.Base) == 0:
		_, err = d.conn.ObjectCopy(ctx, d.segContainer, w.own[0].Name, d.container, key, nil)
		if err == nil {
			err = d.deleteSegments(ctx, w.own, nil)
		}
		segs = nil
	case d.features.slo:
		if len(segs) > d.features.maxSegments {
			return fmt.Errorf("%d segments exceed the cluster's max_manifest_segments %d: raise chunksize", len(segs), d.features.maxSegments)
		}
		err = d.putSLO(ctx, key, segs)
	default:
		err = d.putDLO(ctx, key, d.uploadPrefix(w.path, w.m.ID))
	}
	if err != nil {
		return err
	}
	if err := d.deleteMarker(ctx, w.path); err != nil {
		return err
	}
	if oldKind != plainObject {
		return d.deleteSegments(ctx, oldSegs, segs)
	}
	return nil
}

// commitBuffer commits an upload that is all in the buffer with one PUT.
// If-None-Match: * spares a HEAD when nothing is at key (the usual case);
// otherwise the object there is inspected so that the segments of a large
// object it replaces can be deleted. A new upload that stored no marker
// looks for an older upload at the path beside the PUT, and removes it once
// the PUT succeeded.
func (w *writer) commitBuffer(ctx context.Context, key string) error {
	d := w.d
	done := w.replaced(ctx)
	h, err := w.putBuffer(ctx, key, ncw.Headers{"If-None-Match": "*"})
	var oldKind objectKind
	var oldSegs []segment
	if statusOf(err) == http.StatusPreconditionFailed {
		_, _, oldKind, oldSegs, err = d.inspect(ctx, key)
		if err != nil && !isNotFound(err) {
			return err
		}
		h, err = w.putBuffer(ctx, key, nil)
	}
	if err != nil {
		_ = done(false)
		return err
	}
	d.seen.Saw(key, int64(len(w.buf)), h["Etag"])
	w.releaseBuffer()
	if err := done(true); err != nil {
		return err
	}
	if w.markerWritten {
		if err := d.deleteMarker(ctx, w.path); err != nil {
			return err
		}
	}
	if oldKind != plainObject {
		return d.deleteSegments(ctx, oldSegs, nil)
	}
	return nil
}

// putBuffer stores the buffer as the object at key and returns the
// response's headers.
func (w *writer) putBuffer(ctx context.Context, key string, h ncw.Headers) (ncw.Headers, error) {
	headers := ncw.Headers{"Content-Length": strconv.Itoa(len(w.buf))}
	for k, v := range h {
		headers[k] = v
	}
	return w.d.conn.ObjectPut(withBody(ctx, w.buf), w.d.container, key, bytes.NewReader(w.buf), false, "", contentType, headers)
}
