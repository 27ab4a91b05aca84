package azure

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"sync"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/streaming"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/blob"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/blockblob"
	"golang.org/x/sync/errgroup"

	"github.com/stowage/stowage/driver"
)

// An upload is kept in a hidden block blob under the root's ~uploads
// ("<root>/~uploads/<path>~blocks", see internal/layout). Writes are
// staged as 4 MiB blocks of that blob, up to maxconcurrency blocks in
// flight at a time (Write waits only when that many are); Close waits for
// them and commits the block list so far, which makes the state durable
// (uncommitted blocks would be discarded by Azure after 7 days) and lets a
// writer in another process resume from the committed block list (Size is
// the sum of its block sizes). Commit commits the final block list, copies
// the blob server-side to its path in one Copy Blob (atomic: the path
// shows nothing, then everything) and deletes the hidden blob. Cancel
// deletes the hidden blob, with any uncommitted blocks.
//
// An upload whose whole content fits in one block and that has staged
// nothing — a new writer committed at once, or a registry's monolithic
// upload (a writer closed with nothing written, then resumed, written and
// committed) — is stored with one Put Blob, beside the deletion of the
// hidden blob.
//
// A block blob holds at most 50,000 committed blocks, so an upload can grow
// to 50,000 blocks: 195 GiB when written in full blocks; each Close adds a
// short block.

// blockSize is the size of the staged blocks.
const blockSize = 4 << 20

// blocks are the buffers of the writers of every driver: a writer holds
// one it fills and one per block in flight.
var blocks = sync.Pool{New: func() any { b := make([]byte, 0, blockSize); return &b }}

func getBlock() []byte { return (*blocks.Get().(*[]byte))[:0] }

func putBlock(b []byte) {
	if cap(b) == blockSize {
		b = b[:0]
		blocks.Put(&b)
	}
}

type writer struct {
	d    *Driver
	ctx  context.Context
	path string
	tmp  *blockblob.Client

	ids    []string // committed and staged blocks, in order
	staged int64    // bytes in ids, blocks in flight included
	tag    string
	seq    int // blocks staged by this writer
	buf    []byte
	// committed is how many blocks the hidden blob had when the writer
	// resumed it.
	committed int
	// fresh is set for a new upload (append=false), until its first Close.
	fresh bool

	// inflight runs the block uploads, at most maxconcurrency at a time;
	// nil when none was started since the last wait.
	inflight *errgroup.Group
	mu       sync.Mutex
	err      error // first failed block upload
}

// Writer implements driver.StorageDriver.
func (d *Driver) Writer(ctx context.Context, path string, appendMode bool) (driver.FileWriter, error) {
	var tag [8]byte
	_, _ = rand.Read(tag[:])
	w := &writer{d: d, ctx: ctx, path: path, tmp: d.blob(d.uploadBlob(path)), tag: hex.EncodeToString(tag[:])}
	if !appendMode {
		// No request: an older upload closed at the path is replaced by
		// this one's first Close (same hidden blob), or deleted beside its
		// Commit.
		w.fresh = true
		return w, nil
	}
	bl, err := w.tmp.GetBlockList(ctx, blockblob.BlockListTypeCommitted, nil)
	if err == nil {
		for _, b := range bl.CommittedBlocks {
			w.ids = append(w.ids, *b.Name)
			w.staged += *b.Size
		}
		w.committed = len(w.ids)
		return w, nil
	}
	if !isNotFound(err) {
		return nil, err
	}
	// No upload in progress: append to the committed blob, whose content is
	// staged again as blocks of the hidden blob (a registry only appends to
	// empty blobs this way).
	resp, err := d.blob(d.key(path)).DownloadStream(ctx, nil)
	if err != nil {
		if isNotFound(err) {
			return nil, driver.PathNotFoundError{Path: path}
		}
		return nil, err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(w, resp.Body); err != nil {
		w.abandon()
		return nil, err
	}
	return w, nil
}

func (w *writer) blockID() string {
	w.seq++
	return base64.StdEncoding.EncodeToString(fmt.Appendf(nil, "%s-%08d", w.tag, w.seq))
}

func (w *writer) failed() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.err
}

// stage uploads data as the next block in the background; data belongs to
// the upload from then on and goes back to the pool once staged. It waits
// while maxconcurrency blocks are in flight.
func (w *writer) stage(data []byte) error {
	if err := w.failed(); err != nil {
		putBlock(data)
		return err
	}
	if w.inflight == nil {
		w.inflight = &errgroup.Group{}
		w.inflight.SetLimit(w.d.maxConcurrency)
	}
	id := w.blockID()
	w.ids = append(w.ids, id)
	w.staged += int64(len(data))
	ctx := w.ctx
	w.inflight.Go(func() error {
		defer putBlock(data)
		if _, err := w.tmp.StageBlock(ctx, id, streaming.NopCloser(bytes.NewReader(data)), nil); err != nil {
			w.mu.Lock()
			if w.err == nil {
				w.err = err
			}
			w.mu.Unlock()
			return err
		}
		return nil
	})
	return nil
}

// wait waits for the blocks in flight and returns the first error.
func (w *writer) wait() error {
	if w.inflight != nil {
		_ = w.inflight.Wait()
		w.inflight = nil
	}
	return w.failed()
}

func (w *writer) Write(p []byte) (int, error) {
	if err := w.failed(); err != nil {
		return 0, err
	}
	n := 0
	for len(p) > 0 {
		// A full block is staged once a byte more comes: an upload of
		// exactly one block is still one Put Blob at Commit.
		if len(w.buf) == blockSize {
			full := w.buf
			w.buf = nil
			if err := w.stage(full); err != nil {
				return n, err
			}
		}
		if w.buf == nil {
			w.buf = getBlock()
		}
		k := min(len(p), blockSize-len(w.buf))
		w.buf = append(w.buf, p[:k]...)
		p = p[k:]
		n += k
	}
	return n, nil
}

func (w *writer) Size() int64 { return w.staged + int64(len(w.buf)) }

// flush stages what is buffered and waits for every block in flight.
func (w *writer) flush() error {
	if len(w.buf) > 0 {
		b := w.buf
		w.buf = nil
		if err := w.stage(b); err != nil {
			return err
		}
	}
	return w.wait()
}

func (w *writer) commitTmp(ctx context.Context) error {
	if err := w.flush(); err != nil {
		return err
	}
	_, err := w.tmp.CommitBlockList(ctx, w.ids, nil)
	return err
}

// Close commits the blocks so far to the hidden blob, for a later
// Writer(path, true).
func (w *writer) Close() error {
	w.fresh = false
	err := w.commitTmp(w.ctx)
	w.abandon()
	return err
}

// abandon drops the writer's buffer once nothing more will be written.
func (w *writer) abandon() {
	if w.buf != nil {
		putBlock(w.buf)
		w.buf = nil
	}
}

// Commit makes the upload visible at its path. An upload that has staged
// no block and fits in one (a new writer, or a resumed one over an empty
// upload) is stored with one Put Blob, beside the deletion of the hidden
// blob (of the upload resumed, or of an older one replaced; none, for a new
// writer, usually); otherwise the block list is committed to the hidden
// blob, copied to the path in one Copy Blob (the path shows nothing, then
// everything) and the hidden blob deleted.
func (w *writer) Commit(ctx context.Context) error {
	if w.seq == 0 && w.committed == 0 && w.failed() == nil {
		return w.putDirect(ctx)
	}
	defer w.abandon()
	if err := w.commitTmp(ctx); err != nil {
		return err
	}
	if err := w.d.copyBlob(ctx, w.d.uploadBlob(w.path), w.d.key(w.path)); err != nil {
		return err
	}
	_, err := w.d.deleteOne(ctx, w.d.uploadBlob(w.path))
	return err
}

// putDirect stores the buffer at the path with one Put Blob, and deletes
// the hidden blob of a replaced or resumed upload at the same time.
func (w *writer) putDirect(ctx context.Context) error {
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		_, err := w.d.blob(w.d.key(w.path)).Upload(gctx, streaming.NopCloser(bytes.NewReader(w.buf)), &blockblob.UploadOptions{
			HTTPHeaders: &blob.HTTPHeaders{BlobContentType: ptr("application/octet-stream")},
		})
		return err
	})
	g.Go(func() error {
		_, err := w.d.deleteOne(gctx, w.d.uploadBlob(w.path))
		return err
	})
	if err := g.Wait(); err != nil {
		return err
	}
	w.abandon()
	return nil
}

// Cancel deletes the hidden blob and its blocks. Blocks staged since the
// last Close are uncommitted, and a blob with only uncommitted blocks cannot
// be deleted: committing an empty block list first discards them.
func (w *writer) Cancel(ctx context.Context) error {
	_ = w.wait()
	w.abandon()
	if w.seq > 0 {
		if _, err := w.tmp.CommitBlockList(ctx, nil, nil); err != nil {
			return err
		}
	}
	_, err := w.d.deleteOne(ctx, w.d.uploadBlob(w.path))
	return err
}
