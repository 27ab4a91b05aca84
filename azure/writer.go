package azure

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/streaming"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/blob"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/blockblob"
	"golang.org/x/sync/errgroup"

	"github.com/stowage/stowage/driver"
)

// An upload is kept in a hidden block blob under the root's ~uploads
// ("<root>/~uploads/<path>~blocks", see internal/layout). Writes are
// staged as 4 MiB blocks of that blob; Close commits the block list so far,
// which makes the state durable (uncommitted blocks would be discarded by
// Azure after 7 days) and lets a writer in another process resume from the
// committed block list (Size is the sum of its block sizes). Commit commits
// the final block list, copies the blob server-side to its path in one Copy
// Blob (atomic: the path shows nothing, then everything) and deletes the
// hidden blob. Cancel deletes the hidden blob, with any uncommitted blocks.
//
// A block blob holds at most 50,000 committed blocks, so an upload can grow
// to 50,000 blocks: 195 GiB when written in full blocks; each Close adds a
// short block.

// blockSize is the size of the staged blocks.
const blockSize = 4 << 20

type writer struct {
	d    *Driver
	ctx  context.Context
	path string
	tmp  *blockblob.Client

	ids    []string
	staged int64
	tag    string
	seq    int
	buf    []byte
	err    error
	// fresh is set for a new upload (append=false), until its first Close.
	fresh bool
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
		return nil, err
	}
	return w, nil
}

func (w *writer) blockID() string {
	w.seq++
	return base64.StdEncoding.EncodeToString(fmt.Appendf(nil, "%s-%08d", w.tag, w.seq))
}

func (w *writer) stage(data []byte) error {
	id := w.blockID()
	_, err := w.tmp.StageBlock(w.ctx, id, streaming.NopCloser(bytes.NewReader(data)), nil)
	if err != nil {
		w.err = err
		return err
	}
	w.ids = append(w.ids, id)
	w.staged += int64(len(data))
	return nil
}

func (w *writer) Write(p []byte) (int, error) {
	if w.err != nil {
		return 0, w.err
	}
	n := 0
	for len(p) > 0 {
		if w.buf == nil {
			w.buf = make([]byte, 0, blockSize)
		}
		k := min(len(p), blockSize-len(w.buf))
		w.buf = append(w.buf, p[:k]...)
		p = p[k:]
		n += k
		if len(w.buf) == blockSize {
			if err := w.stage(w.buf); err != nil {
				return n - len(w.buf), err
			}
			w.buf = w.buf[:0]
		}
	}
	return n, nil
}

func (w *writer) Size() int64 { return w.staged + int64(len(w.buf)) }

func (w *writer) flush() error {
	if w.err != nil {
		return w.err
	}
	if len(w.buf) > 0 {
		if err := w.stage(w.buf); err != nil {
			return err
		}
		w.buf = w.buf[:0]
	}
	return nil
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
	return w.commitTmp(w.ctx)
}

// Commit makes the upload visible at its path. A new upload that never
// filled a block is stored with one Put Blob, beside the deletion of the
// hidden blob of an older upload it replaces (none, usually); otherwise the
// block list is committed to the hidden blob, copied to the path in one
// Copy Blob (the path shows nothing, then everything) and the hidden blob
// deleted.
func (w *writer) Commit(ctx context.Context) error {
	if w.fresh && w.seq == 0 && w.err == nil {
		return w.putDirect(ctx)
	}
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
// the hidden blob of a replaced upload at the same time.
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
	w.buf = nil
	return nil
}

// Cancel deletes the hidden blob and its blocks. Blocks staged since the
// last Close are uncommitted, and a blob with only uncommitted blocks cannot
// be deleted: committing an empty block list first discards them.
func (w *writer) Cancel(ctx context.Context) error {
	w.buf = nil
	if w.seq > 0 {
		if _, err := w.tmp.CommitBlockList(ctx, nil, nil); err != nil {
			return err
		}
	}
	_, err := w.d.deleteOne(ctx, w.d.uploadBlob(w.path))
	return err
}
