package faulttest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stowage/stowage/conformance/faultproxy"
	"github.com/stowage/stowage/driver"
)

var envFull = os.Getenv("STOWAGE_FAULTS") == "full"

// opTimeout bounds every call of the runs: far above what any call takes
// with its retries, so that only a hang reaches it.
const opTimeout = 5 * time.Minute

// maxTries is how many times an upload is resumed with the faults on
// before it is finished with them off.
const maxTries = 12

type uploads struct {
	t     *testing.T
	h     Harness
	p     *faultproxy.Proxy
	rate  float64
	c     *Counts
	d     driver.StorageDriver // through the proxy
	clean driver.StorageDriver // direct
	rnd   *rand.Rand
	data  []byte
}

func (u *uploads) strict() bool { return u.rate <= StrictRate }

// failed records a failed call: an error at the strict rate, and a check
// that it says what failed at any rate.
func (u *uploads) failed(what string, err error) {
	u.t.Helper()
	u.c.Failed++
	if !clear(err) {
		u.t.Errorf("%s failed without a clear error: %#v", what, err)
	}
	if u.strict() {
		u.t.Errorf("%s failed at %.0f%% faults: %v", what, u.rate*100, err)
	} else {
		u.t.Logf("%s failed (as it may at %.0f%% faults): %v", what, u.rate*100, err)
	}
}

func (u *uploads) ctx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(u.t.Context(), opTimeout)
}

func (u *uploads) run() {
	for i, size := range sizes(u.h.Uploads, u.h.ChunkSize, u.h.MaxSize, u.rnd) {
		path := fmt.Sprintf("/f/u%03d", i)
		if !u.upload(path, size) {
			continue
		}
		u.read(path, size)
		u.moveAndDelete(path, size)
	}
	// Nothing acknowledged is lost: every upload's last state is checked
	// in moveAndDelete; the tree is empty at the end.
	ctx, cancel := u.ctx()
	defer cancel()
	if left, err := u.clean.List(ctx, "/f"); err == nil && len(left) > 0 {
		u.t.Errorf("left behind after every upload was moved and deleted: %v", left)
	}
}

// upload writes data[:size] to path in pieces, closing and resuming once
// or twice, and commits it; a failed call is followed by a resume.
func (u *uploads) upload(path string, size int64) bool {
	data := u.data[:size]
	stops := []int64{size / 3, size * 2 / 3}
	acked := int64(0)   // bytes a Close (or a Commit) acknowledged
	written := int64(0) // bytes ever given to Write
	appendMode := false
	cancelled := false
	for try := 1; ; try++ {
		if try > maxTries && u.p.Rate() > 0 {
			u.c.FaultsOffToRecover++
			rate := u.p.Rate()
			u.p.SetRate(0)
			defer u.p.SetRate(rate)
		}
		if try > maxTries+3 {
			u.t.Errorf("%s: not committed after %d tries, the last ones without faults", path, try-1)
			return false
		}
		ctx, cancel := u.ctx()
		done, err := u.session(ctx, path, data, stops, appendMode, &acked, &written)
		cancel()
		if err == nil && done {
			break
		}
		if err != nil {
			u.failed(fmt.Sprintf("upload %s (%d bytes, try %d)", path, size, try), err)
		}
		appendMode = true
		// One failed upload in four is cancelled and started again: it must
		// leave nothing behind.
		if err != nil && !u.strict() && u.rnd.IntN(4) == 0 && !cancelled {
			cancelled = true
			if u.cancel(path) {
				u.c.Cancelled++
				acked, written, appendMode = 0, 0, false
			}
		}
	}
	// Verified through the clean connection.
	ctx, cancel := u.ctx()
	defer cancel()
	got, err := u.clean.GetContent(ctx, path)
	switch {
	case err != nil:
		u.t.Errorf("%s: committed, then not readable directly: %v", path, err)
		return false
	case sum(got) != sum(data):
		u.c.SilentCorruptions++
		u.t.Errorf("%s: SILENT CORRUPTION: committed %d bytes, stored %d that differ", path, size, len(got))
		return false
	}
	u.c.Uploads++
	u.c.Verified++
	return true
}

// session is one writer of the upload: it resumes (or starts), checks the
// size it reports, writes up to the next stop and closes, or writes the
// rest and commits (done).
func (u *uploads) session(ctx context.Context, path string, data []byte, stops []int64, appendMode bool, acked, written *int64) (bool, error) {
	w, err := u.d.Writer(ctx, path, appendMode)
	if appendMode && driver.IsNotFound(err) {
		// Nothing was acknowledged yet: start again.
		if *acked > 0 {
			u.t.Errorf("%s: LOST: %d bytes acknowledged by Close, and no upload to resume", path, *acked)
		}
		w, err = u.d.Writer(ctx, path, false)
	}
	if err != nil {
		return false, err
	}
	pos := w.Size()
	if pos < *acked || pos > max(*written, *acked) {
		u.t.Errorf("%s: resumed at %d bytes, outside [%d acknowledged, %d written]", path, pos, *acked, *written)
		_ = w.Cancel(ctx)
		return false, fmt.Errorf("resumed at a wrong size")
	}
	next := int64(len(data))
	for _, s := range stops {
		if s > pos {
			next = s
			break
		}
	}
	for pos < next {
		n := min(next-pos, 1+u.rnd.Int64N(3*u.h.ChunkSize/2))
		k, err := w.Write(data[pos : pos+n])
		pos += int64(k)
		*written = max(*written, pos)
		if err != nil {
			return false, err
		}
	}
	if next < int64(len(data)) {
		if err := w.Close(); err != nil {
			return false, err
		}
		*acked = w.Size()
		u.c.Verified++ // the size after Close
		return false, nil
	}
	if err := w.Commit(ctx); err != nil {
		return false, err
	}
	if w.Size() != int64(len(data)) {
		u.t.Errorf("%s: Size after Commit is %d, want %d", path, w.Size(), len(data))
	}
	return true, nil
}

// cancel cancels the upload at path: nothing is visible or resumable
// after it.
func (u *uploads) cancel(path string) bool {
	ctx, cancel := u.ctx()
	defer cancel()
	w, err := u.d.Writer(ctx, path, true)
	if driver.IsNotFound(err) {
		return true
	}
	if err == nil {
		err = w.Cancel(ctx)
	}
	if err != nil {
		u.failed("cancel "+path, err)
		return false
	}
	if _, err := u.clean.Stat(ctx, path); !driver.IsNotFound(err) {
		u.t.Errorf("%s: cancelled, and Stat says %v", path, err)
	}
	if _, err := u.clean.Writer(ctx, path, true); !driver.IsNotFound(err) {
		u.t.Errorf("%s: cancelled, and still resumable (%v)", path, err)
	}
	u.c.Verified++
	return true
}

// read reads the object back through the proxy, whole and from the
// middle.
func (u *uploads) read(path string, size int64) {
	data := u.data[:size]
	for _, off := range []int64{0, size / 2} {
		for try := 1; ; try++ {
			ctx, cancel := u.ctx()
			var got []byte
			var err error
			if off == 0 && try%2 == 0 {
				got, err = u.d.GetContent(ctx, path)
			} else {
				got, err = readAll(ctx, u.d, path, off)
			}
			cancel()
			if err == nil {
				if sum(got) != sum(data[off:]) {
					u.c.SilentCorruptions++
					u.t.Errorf("%s: SILENT CORRUPTION: read from %d gave %d bytes that differ from the %d stored", path, off, len(got), size-off)
				}
				u.c.Verified++
				break
			}
			u.failed(fmt.Sprintf("read %s from %d", path, off), err)
			if try >= maxTries {
				u.t.Errorf("%s: never read whole in %d tries", path, try)
				break
			}
		}
	}
}

// moveAndDelete moves the object through the proxy and deletes it, and
// checks after each call, successful or not, that the object is whole at
// one of its paths.
func (u *uploads) moveAndDelete(path string, size int64) {
	data := u.data[:size]
	dest := path + "-moved"
	for try := 1; try <= maxTries; try++ {
		ctx, cancel := u.ctx()
		err := u.d.Move(ctx, path, dest)
		cancel()
		src, dst := u.whole(path, data), u.whole(dest, data)
		if err == nil {
			if !dst || src {
				u.t.Errorf("Move %s: succeeded, and the destination is whole: %v, the source still there: %v", path, dst, src)
			}
			u.c.Verified++
			break
		}
		u.failed("move "+path, err)
		if !src && !dst {
			u.t.Errorf("Move %s failed and LOST the object: %v", path, err)
			return
		}
		if dst && !src {
			break // done, though the answer was lost
		}
	}
	for try := 1; try <= maxTries; try++ {
		ctx, cancel := u.ctx()
		err := u.d.Delete(ctx, dest)
		cancel()
		if err == nil || (try > 1 && driver.IsNotFound(err)) {
			ctx, cancel := u.ctx()
			_, serr := u.clean.Stat(ctx, dest)
			cancel()
			if !driver.IsNotFound(serr) {
				u.t.Errorf("Delete %s: succeeded, and Stat says %v", dest, serr)
			}
			u.c.Verified++
			return
		}
		u.failed("delete "+dest, err)
		if !u.whole(dest, data) {
			ctx, cancel := u.ctx()
			_, serr := u.clean.Stat(ctx, dest)
			cancel()
			if !driver.IsNotFound(serr) {
				u.t.Errorf("Delete %s failed and left a damaged object: %v", dest, serr)
			}
		}
	}
}

// whole reports whether path holds exactly data, read directly.
func (u *uploads) whole(path string, data []byte) bool {
	ctx, cancel := u.ctx()
	defer cancel()
	got, err := u.clean.GetContent(ctx, path)
	if err != nil {
		if !driver.IsNotFound(err) {
			u.t.Errorf("direct read of %s: %v", path, err)
		}
		return false
	}
	if sum(got) != sum(data) {
		u.c.SilentCorruptions++
		u.t.Errorf("%s: SILENT CORRUPTION: holds %d bytes that differ from the %d committed", path, len(got), len(data))
		return false
	}
	return true
}

// noHang stalls every response for an hour: each call returns once its
// context ends. A call still running a minute after its context ended
// hangs.
func noHang(t *testing.T, h Harness) {
	var stall atomic.Bool
	p := startProxy(t, faultproxy.Config{Target: h.Target, TargetHost: h.TargetHost, StallTime: time.Hour,
		Decide: func(*http.Request) faultproxy.Fault {
			if stall.Load() {
				return faultproxy.Stall
			}
			return faultproxy.None
		}})
	root := fmt.Sprintf("nohang-%d", time.Now().UnixNano())
	d := h.Open(t, p.URL(), root, quiet) // before the stalls: New may send requests
	stall.Store(true)
	clean := h.Clean(t, root)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		_ = clean.Delete(ctx, "/x")
		_, _ = driver.PurgeUploads(ctx, clean, 0)
	})
	calls := []struct {
		name string
		f    func(ctx context.Context) error
	}{
		{"PutContent", func(ctx context.Context) error { return d.PutContent(ctx, "/x", make([]byte, 1000)) }},
		{"GetContent", func(ctx context.Context) error { _, err := d.GetContent(ctx, "/x"); return err }},
		{"Stat", func(ctx context.Context) error { _, err := d.Stat(ctx, "/x"); return err }},
		{"List", func(ctx context.Context) error { _, err := d.List(ctx, "/"); return err }},
		{"Writer", func(ctx context.Context) error {
			w, err := d.Writer(ctx, "/w", false)
			if err != nil {
				return err
			}
			if _, err := w.Write(make([]byte, h.ChunkSize+1)); err != nil {
				return err
			}
			return w.Commit(ctx)
		}},
		{"Delete", func(ctx context.Context) error { return d.Delete(ctx, "/x") }},
	}
	for _, c := range calls {
		if slices.Contains(h.HangsKnown, c.name) {
			t.Logf("%s: not run, known to outlive its context", c.name)
			continue
		}
		ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
		done := make(chan error, 1)
		go func() { done <- c.f(ctx) }()
		<-ctx.Done()
		select {
		case err := <-done:
			if err == nil {
				t.Errorf("%s succeeded though every response stalled", c.name)
			}
		case <-time.After(time.Minute):
			t.Errorf("%s still running a minute after its context ended: it HANGS", c.name)
		}
		cancel()
	}
	stall.Store(false)
}
