package azure

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/streaming"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/blob"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/bloberror"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/blockblob"
	"golang.org/x/sync/errgroup"

	"github.com/stowage/stowage/driver"
	"github.com/stowage/stowage/internal/inflight"
)

// A writer stages 4 MiB blocks on the blob at its path, up to
// maxconcurrency in flight at a time (Write waits only when that many
// are). Staged blocks stay uncommitted, so the path shows what it held
// before (nothing, for a new path) until Commit commits the block list on
// it: one Put Block List, as the SDK's own upload ends, with no copy of the
// bytes and no second blob.
//
// Close waits for the blocks in flight and stores the state of the upload
// in a hidden blob under the root's ~uploads ("<root>/~uploads/<path>~blocks",
// see internal/layout): the IDs of its blocks, in order, and their total
// size. A writer in another process resumes the upload from that state and
// stages more blocks beside them. Commit of a closed or resumed upload
// commits the block list and then deletes the state; Cancel deletes the
// state and the blocks (by deleting the blob at the path, on condition
// that it has no committed content: an object the path already held
// stays).
//
// Azure discards the uncommitted blocks of a blob after a week without a
// Put Block or Put Block List on it, and when a block list is committed on
// it: an upload left idle for a week, or whose path is written meanwhile,
// cannot be committed (Commit says so), as a registry's uploads are purged
// after a week anyway.
//
// An upload whose whole content fits in one block and that has staged
// nothing — a new writer committed at once, or a registry's monolithic
// upload (a writer closed with nothing written, then resumed, written and
// committed) — is stored with one Put Blob, beside the deletion of the
// state.
//
// Uploads closed by stowage versions before this layout kept their blocks
// committed in the hidden blob itself (no stateVersion metadata): such an
// upload resumes as it was written, its Commit copies the hidden blob to
// the path and deletes it. An upload over a blob that takes none of its
// blocks (an append or page blob, or blocks with IDs of another length)
// goes the same way (see toHidden).
//
// A block blob holds at most 50,000 committed blocks, so an upload can grow
// to 50,000 blocks: 195 GiB when written in full blocks; each Close adds a
// short block.

// BlockSize is the size of the blocks a writer stages (4 MiB, as
// distribution's azure driver): maxconcurrency of them are in flight.
const BlockSize = 4 << 20

// stateMetadata is the metadata key that marks a hidden upload blob as the
// state of an upload whose blocks are staged on its path; its value is
// stateVersion.
const (
	stateMetadata = "stowageupload"
	stateVersion  = "2"
)

// uploadState is the JSON of the hidden blob of an upload in progress.
type uploadState struct {
	Path string   `json:"path"`
	IDs  []string `json:"ids"`
	Size int64    `json:"size"`
}

type writer struct {
	d    *Driver
	ctx  context.Context
	path string
	dst  *blockblob.Client // the blob at path
	tmp  *blockblob.Client // the hidden blob: the upload's state
	// stage is where blocks are staged: dst, or tmp for an upload closed by
	// an older stowage (legacy).
	stage  *blockblob.Client
	legacy bool

	ids    []string // the upload's blocks, in order: earlier writers' and staged
	staged int64    // bytes in ids, blocks in flight included
	tag    string
	seq    int // blocks staged by this writer
	buf    []byte
	// owned is set once the hidden blob is this upload's: the writer
	// resumed it, or closed.
	owned bool
	// earlier is how many of ids the writers before this one staged.
	earlier int

	// inflight runs the block uploads, at most maxconcurrency at a time;
	// nil when none was started since the last wait.
	inflight *inflight.Group
	mu       sync.Mutex
	err      error // first failed block upload
}

// Writer implements driver.StorageDriver.
func (d *Driver) Writer(ctx context.Context, path string, appendMode bool) (driver.FileWriter, error) {
	var tag [8]byte
	_, _ = rand.Read(tag[:])
	w := &writer{d: d, ctx: ctx, path: path, dst: d.blob(d.key(path)), tmp: d.blob(d.uploadBlob(path)), tag: hex.EncodeToString(tag[:])}
	w.stage = w.dst
	if !appendMode {
		// No request: an older upload closed at the path is replaced by
		// this one's first Close (same hidden blob), or deleted beside its
		// Commit.
		return w, nil
	}
	found, err := w.resume(ctx)
	if err != nil || found {
		return w, err
	}
	// No upload in progress: append to the committed blob, whose content is
	// staged again as blocks (a registry only appends to empty blobs this
	// way).
	resp, err := w.dst.DownloadStream(ctx, nil)
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

// resume loads the upload in progress at the writer's path from its hidden
// blob: one request for a state, two for an upload of an older stowage
// (whose blocks are read from the hidden blob's block list). found is false
// when there is none.
func (w *writer) resume(ctx context.Context) (found bool, err error) {
	resp, err := w.tmp.DownloadStream(ctx, nil)
	if isNotFound(err) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	defer resp.Body.Close()
	if metadata(resp.Metadata, stateMetadata) != stateVersion {
		// An upload of an older stowage: its bytes are the hidden blob's
		// committed blocks (the body is not read).
		bl, err := w.tmp.GetBlockList(ctx, blockblob.BlockListTypeCommitted, nil)
		if isNotFound(err) {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		for _, b := range bl.CommittedBlocks {
			w.ids = append(w.ids, *b.Name)
			w.staged += *b.Size
		}
		w.legacy, w.stage, w.owned = true, w.tmp, true
		return true, nil
	}
	body := w.d.retryReader(ctx, resp, "GET "+w.d.uploadBlob(w.path))
	defer body.Close()
	var st uploadState
	if err := json.NewDecoder(body).Decode(&st); err != nil {
		return false, fmt.Errorf("upload state %s: %w", w.d.uploadBlob(w.path), err)
	}
	w.ids, w.staged, w.owned, w.earlier = st.IDs, st.Size, true, len(st.IDs)
	return true, nil
}

// metadata returns the value of the metadata key k, whatever its case (the
// SDK keys the map by the response header's name, which Go canonicalizes).
func metadata(m map[string]*string, k string) string {
	for key, v := range m {
		if v != nil && strings.EqualFold(key, k) {
			return *v
		}
	}
	return ""
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

// stageBlock uploads the buffer as the next block in the background; the
// buffer belongs to the upload from then on and goes back to the pool once
// staged. It waits while maxconcurrency blocks are in flight. Nothing
// starts once the writer's context is done (the buffer stays the writer's,
// counted by Size); a block in flight then is not abandoned (see wait).
func (w *writer) stageBlock() error {
	if err := w.failed(); err != nil {
		return err
	}
	if err := w.ctx.Err(); err != nil {
		return err
	}
	data := w.buf
	w.buf = nil
	if w.inflight == nil {
		// A block in flight is not abandoned when the writer's context
		// ends: a request the service has received whole may still stage
		// its block after the client gave up on it, onto a blob Cancel has
		// deleted by then (an uncommitted blob left for a week). Nothing
		// holds it longer than inflight.Grace after the context ended.
		w.inflight = inflight.NewDetached(w.ctx, w.d.maxConcurrency, inflight.Grace)
	}
	id := w.blockID()
	w.ids = append(w.ids, id)
	w.staged += int64(len(data))
	w.mu.Lock()
	to := w.stage
	w.mu.Unlock()
	w.inflight.Go(func(ctx context.Context) error {
		defer w.d.blocks.Put(data)
		_, err := to.StageBlock(ctx, id, streaming.NopCloser(bytes.NewReader(data)), nil)
		if err != nil && to == w.dst && w.earlier == 0 && bloberror.HasCode(err, bloberror.InvalidBlobType, bloberror.InvalidBlobOrBlock) {
			// The blob at the path takes no blocks of this writer: an
			// append or page blob, or a block blob whose blocks have IDs
			// of another length (written by another tool). The upload
			// keeps its blocks in the hidden blob instead, as older
			// versions did, and Commit copies it over the path.
			w.toHidden()
			_, err = w.tmp.StageBlock(ctx, id, streaming.NopCloser(bytes.NewReader(data)), nil)
		}
		if err != nil {
			w.mu.Lock()
			if w.err == nil {
				w.err = err
			}
			w.mu.Unlock()
		}
		return err
	})
	return nil
}

// toHidden makes the hidden blob the place of the upload's blocks, for a
// path that takes none (see stageBlock). Only an upload with no blocks of
// earlier writers on the path switches (a path that takes none of this
// writer's blocks took none of the ones before them either).
func (w *writer) toHidden() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.legacy, w.stage = true, w.tmp
}

// wait waits for the blocks in flight, abandoning them if ctx ends first,
// and returns the first error.
func (w *writer) wait(ctx context.Context) error {
	if w.inflight != nil {
		_ = w.inflight.WaitFor(ctx)
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
		if len(w.buf) == BlockSize {
			if err := w.stageBlock(); err != nil {
				return n, err
			}
		}
		if w.buf == nil {
			w.buf = w.d.blocks.Get(BlockSize)
		}
		k := min(len(p), BlockSize-len(w.buf))
		w.buf = append(w.buf, p[:k]...)
		p = p[k:]
		n += k
	}
	return n, nil
}

func (w *writer) Size() int64 { return w.staged + int64(len(w.buf)) }

// flush stages what is buffered and waits for every block in flight
// (within ctx).
func (w *writer) flush(ctx context.Context) error {
	if len(w.buf) > 0 {
		if err := w.stageBlock(); err != nil {
			return err
		}
	}
	return w.wait(ctx)
}

// saveState stores the upload's state in the hidden blob (for an upload
// of an older stowage: commits the block list so far to it).
func (w *writer) saveState(ctx context.Context) error {
	if err := w.flush(ctx); err != nil {
		return err
	}
	if w.legacy {
		_, err := w.tmp.CommitBlockList(ctx, w.ids, nil)
		return err
	}
	b, err := json.Marshal(uploadState{Path: w.path, IDs: w.ids, Size: w.staged})
	if err != nil {
		return err
	}
	_, err = w.tmp.Upload(ctx, streaming.NopCloser(bytes.NewReader(b)), &blockblob.UploadOptions{
		HTTPHeaders: &blob.HTTPHeaders{BlobContentType: ptr("application/json")},
		Metadata:    map[string]*string{stateMetadata: ptr(stateVersion)},
	})
	return err
}

// Close stores the state of the upload, for a later Writer(path, true).
func (w *writer) Close() error {
	err := w.saveState(w.ctx)
	if err == nil {
		w.owned = true
	}
	w.abandon()
	return err
}

// abandon drops the writer's buffer once nothing more will be written.
func (w *writer) abandon() {
	if w.buf != nil {
		w.d.blocks.Put(w.buf)
		w.buf = nil
	}
}

// Commit makes the upload visible at its path. An upload that has staged
// no block and fits in one is stored with one Put Blob; otherwise the block
// list is committed on the path (for an upload of an older stowage: on the
// hidden blob, which is then copied to the path). The state goes beside
// the commit when it is not this upload's (an older upload's, replaced by
// a new writer never closed; usually none), after it otherwise: a Commit
// that fails leaves a closed upload resumable.
func (w *writer) Commit(ctx context.Context) error {
	if w.seq == 0 && len(w.ids) == 0 && w.failed() == nil {
		return w.putDirect(ctx)
	}
	defer w.abandon()
	if err := w.flush(ctx); err != nil {
		return err
	}
	if w.legacy {
		if err := w.saveState(ctx); err != nil {
			return err
		}
		if err := w.d.copyBlob(ctx, w.d.uploadBlob(w.path), w.d.key(w.path)); err != nil {
			return err
		}
		_, err := w.d.deleteOne(ctx, w.d.uploadBlob(w.path))
		return err
	}
	commit := func(ctx context.Context) error {
		_, err := w.dst.CommitBlockList(ctx, w.ids, &blockblob.CommitBlockListOptions{
			HTTPHeaders: &blob.HTTPHeaders{BlobContentType: ptr("application/octet-stream")},
		})
		if bloberror.HasCode(err, bloberror.InvalidBlockList) {
			return fmt.Errorf("the upload's staged blocks are gone (Azure discards uncommitted blocks after a week without writes to the blob, and when the path is written meanwhile): start the upload again: %w", err)
		}
		return err
	}
	if w.owned {
		if err := commit(ctx); err != nil {
			return err
		}
		_, err := w.d.deleteOne(ctx, w.d.uploadBlob(w.path))
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return commit(gctx) })
	g.Go(func() error {
		_, err := w.d.deleteOne(gctx, w.d.uploadBlob(w.path))
		return err
	})
	return g.Wait()
}

// putDirect stores the buffer at the path with one Put Blob, and deletes
// the hidden blob of a replaced or resumed upload at the same time.
func (w *writer) putDirect(ctx context.Context) error {
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		_, err := w.dst.Upload(gctx, streaming.NopCloser(bytes.NewReader(w.buf)), &blockblob.UploadOptions{
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

// Cancel deletes the state, then the blob at the path on condition that it
// has no committed content, which takes the staged blocks with it (this
// upload's, and an older one's it replaced) where the service deletes a
// blob that has only uncommitted blocks, as Azurite does; an object the
// path holds stays, and uncommitted blocks left go at the blob's next
// commit or after a week. For an upload of an older
// stowage, the hidden blob holds the blocks: blocks staged since its last
// Close are uncommitted, and a blob with only uncommitted blocks cannot be
// deleted everywhere, so an empty block list is committed first.
func (w *writer) Cancel(ctx context.Context) error {
	_ = w.wait(ctx)
	w.abandon()
	if w.legacy {
		if w.seq > 0 {
			if _, err := w.tmp.CommitBlockList(ctx, nil, nil); err != nil {
				return err
			}
		}
		_, err := w.d.deleteOne(ctx, w.d.uploadBlob(w.path))
		return err
	}
	if _, err := w.d.deleteOne(ctx, w.d.uploadBlob(w.path)); err != nil {
		return err
	}
	// Any blob with committed content was modified since 2000.
	before := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	_, err := w.dst.Delete(ctx, &blob.DeleteOptions{AccessConditions: &blob.AccessConditions{
		ModifiedAccessConditions: &blob.ModifiedAccessConditions{IfUnmodifiedSince: &before},
	}})
	if err == nil || isNotFound(err) || bloberror.HasCode(err, bloberror.ConditionNotMet) {
		return nil
	}
	return err
}
