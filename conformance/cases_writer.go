package conformance

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/stowage/stowage/driver"
)

func writerCases() []Case {
	return []Case{
		{Name: "Writer/ResumeThreeTimes", run: func(t TB, h Harness, d driver.StorageDriver, root string) {
			c := h.chunk()
			// pieces smaller and larger than the chunk size
			pieces := [][]byte{randomBytes(c / 3), randomBytes(c + 100), randomBytes(7), randomBytes(c/2 + 1)}
			var want []byte
			for i, p := range pieces {
				size := writeAll(t, d, "/resume", i > 0, nil, false)
				if size != int64(len(want)) {
					t.Fatalf("resume %d: Size() = %d before writing, want %d", i, size, len(want))
				}
				want = append(want, p...)
				last := i == len(pieces)-1
				if got := writeAll(t, d, "/resume", true, p, last); got != int64(len(want)) {
					t.Fatalf("piece %d: Size() = %d, want %d", i, got, len(want))
				}
				if !last {
					if _, err := d.Stat(t.Context(), "/resume"); !driver.IsNotFound(err) {
						t.Fatalf("after piece %d (closed, not committed): Stat = %v, want PathNotFoundError", i, err)
					}
				}
			}
			expectContent(t, d, "/resume", want)
		}},
		{Name: "Writer/ResumeFromSecondInstance", run: func(t TB, h Harness, d driver.StorageDriver, root string) {
			c := h.chunk()
			a, b := randomBytes(c+c/2), randomBytes(c/4)
			writeAll(t, d, "/dir/blob", false, a, false)
			d2 := h.Open(t, root)
			w, err := d2.Writer(t.Context(), "/dir/blob", true)
			if err != nil {
				t.Fatalf("second instance Writer(append=true): %v", err)
			}
			if w.Size() != int64(len(a)) {
				t.Fatalf("second instance Size() = %d, want %d", w.Size(), len(a))
			}
			if _, err := w.Write(b); err != nil {
				t.Fatalf("Write: %v", err)
			}
			if err := w.Commit(t.Context()); err != nil {
				t.Fatalf("Commit: %v", err)
			}
			_ = w.Close()
			expectContent(t, d, "/dir/blob", append(a, b...))
		}},
		{Name: "Writer/AppendAfterZeroByteCommit", run: func(t TB, h Harness, d driver.StorageDriver, root string) {
			// A registry's zero-length blob, then an append to it.
			session(t, d, "/z", false, 0, nil, endCommit)
			expectContent(t, d, "/z", []byte{})
			expectEmptyReader(t, d, "/z")
			data := randomBytes(32)
			session(t, d, "/z", true, 0, data, endCommit)
			expectContent(t, d, "/z", data)
		}},
		{Name: "Writer/AppendAfterZeroBytePutContent", run: func(t TB, h Harness, d driver.StorageDriver, root string) {
			mustPut(t, d, "/z", nil)
			expectEmptyReader(t, d, "/z")
			data := randomBytes(32)
			session(t, d, "/z", true, 0, data, endCommit)
			expectContent(t, d, "/z", data)
		}},
		{Name: "Writer/SizeAtEveryStep", run: func(t TB, h Harness, d driver.StorageDriver, root string) {
			// c+7 bytes: some in stored chunks, some still buffered, where
			// a Size computed from one place only goes wrong.
			n := h.chunk() + 7
			a, b := randomBytes(n), randomBytes(n)
			size := session(t, d, "/s", false, 0, a, endClose)
			session(t, d, "/s", true, size, b, endCommit)
			expectContent(t, d, "/s", append(a, b...))
			// Cancel: of a fresh writer, and of a resumed one.
			session(t, d, "/c1", false, 0, a, endCancel)
			size = session(t, d, "/c2", false, 0, a, endClose)
			session(t, d, "/c2", true, size, b, endCancel)
			for _, p := range []string{"/c1", "/c2"} {
				if _, err := d.Stat(t.Context(), p); !driver.IsNotFound(err) {
					t.Fatalf("Stat(%s) after Cancel = %v, want PathNotFoundError", p, err)
				}
			}
		}},
		continueAppend("Writer/ContinueAppend/32B", func(Harness) int64 { return 32 }),
		continueAppend("Writer/ContinueAppend/Chunk", Harness.chunk),
		{Name: "Writer/AppendToCommittedObject", run: func(t TB, h Harness, d driver.StorageDriver, root string) {
			a, b := randomBytes(h.chunk()+3), randomBytes(5)
			writeAll(t, d, "/o", false, a, true)
			writeAll(t, d, "/o", true, b, true)
			expectContent(t, d, "/o", append(a, b...))
		}},
		{Name: "Writer/AppendWithNothingThere", run: func(t TB, h Harness, d driver.StorageDriver, root string) {
			w, err := d.Writer(t.Context(), "/nothing", true)
			if err == nil {
				_ = w.Cancel(t.Context())
				t.Fatalf("Writer(append=true) with nothing at the path: no error, want PathNotFoundError")
			}
			expectNotFound(t, "Writer(/nothing, append=true)", err)
		}},
		{Name: "Writer/NewUploadDiscardsUnfinished", run: func(t TB, h Harness, d driver.StorageDriver, root string) {
			writeAll(t, d, "/u", false, randomBytes(300), false)
			fresh := randomBytes(100)
			if size := writeAll(t, d, "/u", false, fresh, true); size != 100 {
				t.Fatalf("new upload Size() = %d, want 100", size)
			}
			expectContent(t, d, "/u", fresh)
		}},
		{Name: "Writer/NothingVisibleBeforeCommit", run: func(t TB, h Harness, d driver.StorageDriver, root string) {
			ctx := t.Context()
			mustPut(t, d, "/vis/old", []byte("old"))
			w, err := d.Writer(ctx, "/vis/new", false)
			if err != nil {
				t.Fatalf("Writer: %v", err)
			}
			if _, err := w.Write(randomBytes(h.chunk() + 10)); err != nil {
				t.Fatalf("Write: %v", err)
			}
			check := func(when string) {
				if _, err := d.Stat(ctx, "/vis/new"); !driver.IsNotFound(err) {
					t.Fatalf("%s: Stat(/vis/new) = %v, want PathNotFoundError", when, err)
				}
				if _, err := d.GetContent(ctx, "/vis/new"); !driver.IsNotFound(err) {
					t.Fatalf("%s: GetContent(/vis/new) = %v, want PathNotFoundError", when, err)
				}
				list, err := d.List(ctx, "/vis")
				if err != nil || len(list) != 1 || list[0] != "/vis/old" {
					t.Fatalf("%s: List(/vis) = %v, %v; want [/vis/old]", when, list, err)
				}
				root, err := d.List(ctx, "/")
				if err != nil || len(root) != 1 || root[0] != "/vis" {
					t.Fatalf("%s: List(/) = %v, %v; want [/vis] (upload state must be hidden)", when, root, err)
				}
				var walked []string
				_ = d.Walk(ctx, "/", func(fi driver.FileInfo) error { walked = append(walked, fi.Path()); return nil })
				if fmt.Sprint(walked) != "[/vis /vis/old]" {
					t.Fatalf("%s: Walk(/) visited %v, want [/vis /vis/old]", when, walked)
				}
			}
			check("while writing")
			if err := w.Close(); err != nil {
				t.Fatalf("Close: %v", err)
			}
			check("after Close")
			w, err = d.Writer(ctx, "/vis/new", true)
			if err != nil {
				t.Fatalf("resume: %v", err)
			}
			if err := w.Commit(ctx); err != nil {
				t.Fatalf("Commit: %v", err)
			}
			if _, err := d.Stat(ctx, "/vis/new"); err != nil {
				t.Fatalf("after Commit: Stat: %v", err)
			}
		}},
		{Name: "Writer/CancelLeavesNothing", run: func(t TB, h Harness, d driver.StorageDriver, root string) {
			ctx := t.Context()
			writeAll(t, d, "/c/blob", false, randomBytes(h.chunk()+5), false)
			w, err := d.Writer(ctx, "/c/blob", true)
			if err != nil {
				t.Fatalf("resume: %v", err)
			}
			if _, err := w.Write(randomBytes(10)); err != nil {
				t.Fatalf("Write: %v", err)
			}
			if err := w.Cancel(ctx); err != nil {
				t.Fatalf("Cancel: %v", err)
			}
			if _, err := d.Stat(ctx, "/c/blob"); !driver.IsNotFound(err) {
				t.Fatalf("after Cancel: Stat = %v, want PathNotFoundError", err)
			}
			if _, err := d.Writer(ctx, "/c/blob", true); !driver.IsNotFound(err) {
				t.Fatalf("after Cancel: Writer(append=true) = %v, want PathNotFoundError (no upload left)", err)
			}
			if l, err := d.List(ctx, "/"); !driver.IsNotFound(err) && len(l) != 0 {
				t.Fatalf("after Cancel: List(/) = %v, %v; want nothing", l, err)
			}
		}},
		{Name: "Writer/CancelKeepsCommittedObject", run: func(t TB, h Harness, d driver.StorageDriver, root string) {
			old := []byte("committed before")
			mustPut(t, d, "/k", old)
			w, err := d.Writer(t.Context(), "/k", false)
			if err != nil {
				t.Fatalf("Writer: %v", err)
			}
			_, _ = w.Write(randomBytes(100))
			if err := w.Cancel(t.Context()); err != nil {
				t.Fatalf("Cancel: %v", err)
			}
			expectContent(t, d, "/k", old)
			// The same with parts stored (and, on stores that stage them on
			// the object itself, staged there): closed, resumed, cancelled.
			size := session(t, d, "/k", false, 0, randomBytes(2*h.chunk()+100), endClose)
			expectContent(t, d, "/k", old)
			session(t, d, "/k", true, size, randomBytes(h.chunk()+1), endCancel)
			expectContent(t, d, "/k", old)
		}},
		{Name: "Writer/OverwriteVisibleOnlyAtCommit", run: func(t TB, h Harness, d driver.StorageDriver, root string) {
			// An upload over an object leaves it as it was, for readers,
			// until Commit replaces it whole.
			old := randomBytes(h.chunk() + 7)
			mustPut(t, d, "/ow", old)
			fresh := randomBytes(2*h.chunk() + 11)
			size := session(t, d, "/ow", false, 0, fresh[:h.chunk()+3], endClose)
			expectContent(t, d, "/ow", old)
			size = session(t, d, "/ow", true, size, fresh[h.chunk()+3:2*h.chunk()], endClose)
			expectContent(t, d, "/ow", old)
			if fi, err := d.Stat(t.Context(), "/ow"); err != nil || fi.Size() != int64(len(old)) {
				t.Fatalf("Stat(/ow) with an upload over it closed: %v, %v; want the old object's %d bytes", fi, err, len(old))
			}
			session(t, d, "/ow", true, size, fresh[2*h.chunk():], endCommit)
			expectContent(t, d, "/ow", fresh)
		}},
		{Name: "Writer/LifeCycle", run: func(t TB, h Harness, d driver.StorageDriver, root string) {
			ctx := t.Context()
			w, err := d.Writer(ctx, "/lc", false)
			if err != nil {
				t.Fatalf("Writer: %v", err)
			}
			_, _ = w.Write([]byte("abc"))
			if err := w.Commit(ctx); err != nil {
				t.Fatalf("Commit: %v", err)
			}
			if _, err := w.Write([]byte("x")); err == nil {
				t.Errorf("Write after Commit: no error")
			}
			if err := w.Commit(ctx); err == nil {
				t.Errorf("second Commit: no error")
			}
			if err := w.Close(); err != nil {
				t.Errorf("Close after Commit: %v", err)
			}
			w, err = d.Writer(ctx, "/lc2", false)
			if err != nil {
				t.Fatalf("Writer: %v", err)
			}
			_ = w.Cancel(ctx)
			if err := w.Commit(ctx); err == nil {
				t.Errorf("Commit after Cancel: no error")
			}
			if _, err := d.Stat(ctx, "/lc2"); !driver.IsNotFound(err) {
				t.Errorf("Commit after Cancel made the object visible: %v", err)
			}
			expectContent(t, d, "/lc", []byte("abc"))
		}},
		{Name: "Writer/ContextCancelledMidWrite", run: func(t TB, h Harness, d driver.StorageDriver, root string) {
			old := []byte("must survive")
			mustPut(t, d, "/cc", old)
			ctx, cancel := context.WithCancel(t.Context())
			w, err := d.Writer(ctx, "/cc", false)
			if err != nil {
				t.Fatalf("Writer: %v", err)
			}
			_, _ = w.Write(randomBytes(h.chunk() + 1))
			cancel()
			// Writes after the cancellation may fail or buffer; neither may
			// damage what is stored.
			for range 3 {
				if _, err := w.Write(randomBytes(h.chunk())); err != nil {
					break
				}
			}
			err = w.Commit(ctx)
			if err == nil {
				t.Fatalf("Commit with a cancelled context succeeded")
			}
			if !errors.Is(err, context.Canceled) {
				t.Logf("Commit error does not wrap context.Canceled: %v", err)
			}
			expectContent(t, d, "/cc", old)
			// A writer whose context is cancelled can still be cancelled.
			cctx, ccancel := context.WithTimeout(context.Background(), time.Minute)
			defer ccancel()
			_ = w.Cancel(cctx)
			expectContent(t, d, "/cc", old)
		}},
		{Name: "Writer/BytesMatchAfterManySmallWrites", run: func(t TB, h Harness, d driver.StorageDriver, root string) {
			ctx := t.Context()
			w, err := d.Writer(ctx, "/small", false)
			if err != nil {
				t.Fatalf("Writer: %v", err)
			}
			var want bytes.Buffer
			for i := range 1000 {
				p := []byte(fmt.Sprintf("line %d\n", i))
				want.Write(p)
				if _, err := w.Write(p); err != nil {
					t.Fatalf("Write %d: %v", i, err)
				}
			}
			if err := w.Commit(ctx); err != nil {
				t.Fatalf("Commit: %v", err)
			}
			_ = w.Close()
			expectContent(t, d, "/small", want.Bytes())
		}},
	}
}

// continueAppend writes n bytes through each of three writers, closing the
// first two and committing the third, with Size checked before and after
// every step; the object must be the three pieces in order.
func continueAppend(name string, size func(Harness) int64) Case {
	return Case{Name: name, run: func(t TB, h Harness, d driver.StorageDriver, root string) {
		n := size(h)
		var want []byte
		for i := range 3 {
			p := randomBytes(n)
			end := endClose
			if i == 2 {
				end = endCommit
			}
			session(t, d, "/append", i > 0, int64(len(want)), p, end)
			want = append(want, p...)
		}
		expectContent(t, d, "/append", want)
	}}
}
