package s3

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/stowage/stowage/driver"
)

// hiddenDir, under the root, holds the tails of closed uploads: bytes
// written before Close that are too few for a part (S3 wants 5 MiB in every
// part but the last, and cannot read a part back). Its name has a space, so
// no valid path reaches it, and List and Walk leave it out.
const hiddenDir = ".stowage uploads/"

// part is a part stored in the multipart upload.
type part struct {
	number int32
	etag   string
	size   int64
}

// writer is a multipart upload. Parts of chunksize are uploaded in the
// background, up to maxconcurrency at a time, each from one of at most
// maxconcurrency+1 buffers.
type writer struct {
	d        *Driver
	ctx      context.Context
	path     string
	key      string
	uploadID string // "" until the first part or Close

	mu       sync.Mutex
	parts    []part // stored parts, any order
	stored   int64  // bytes in parts, including parts being uploaded
	err      error  // first failed part upload
	wg       sync.WaitGroup
	nextPart int32

	buf     []byte // bytes not yet in a part
	pool    chan []byte
	buffers int // allocated buffers
	maxBufs int
	chunk   int
}

func (d *Driver) newWriter(ctx context.Context, path string) *writer {
	return &writer{
		d: d, ctx: ctx, path: path, key: d.key(path),
		nextPart: 1,
		chunk:    int(d.p.ChunkSize),
		maxBufs:  d.p.MaxConcurrency + 1,
		pool:     make(chan []byte, d.p.MaxConcurrency+1),
	}
}

// Writer implements driver.StorageDriver.
func (d *Driver) Writer(ctx context.Context, path string, appendMode bool) (driver.FileWriter, error) {
	w := d.newWriter(ctx, path)
	uploads, err := d.uploadsOf(ctx, w.key)
	if err != nil {
		return nil, d.fail(path, err)
	}
	if !appendMode {
		for _, u := range uploads {
			if err := d.abort(ctx, w.key, aws.ToString(u.UploadId)); err != nil {
				return nil, d.fail(path, err)
			}
		}
		return w, nil
	}
	if len(uploads) > 0 {
		newest := slices.MaxFunc(uploads, func(a, b types.MultipartUpload) int {
			return aws.ToTime(a.Initiated).Compare(aws.ToTime(b.Initiated))
		})
		if err := w.resume(aws.ToString(newest.UploadId)); err != nil {
			return nil, d.fail(path, err)
		}
		return w, nil
	}
	// No upload in progress: append to the committed object.
	head, err := d.client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: d.bucket, Key: aws.String(w.key)})
	if err != nil {
		return nil, d.fail(path, err)
	}
	size := aws.ToInt64(head.ContentLength)
	if size < minPartSize {
		out, err := d.client.GetObject(ctx, &s3.GetObjectInput{Bucket: d.bucket, Key: aws.String(w.key)})
		if err != nil {
			return nil, d.fail(path, err)
		}
		w.buf, err = readAll(out.Body, size, w.chunk)
		w.buffers = 1
		out.Body.Close()
		if err != nil {
			return nil, err
		}
		return w, nil
	}
	if err := w.ensureUpload(); err != nil {
		return nil, d.fail(path, err)
	}
	// Copy the object as the first parts, within the 5 GiB part limit.
	const maxPart = 5 << 30
	count := (size + maxPart - 1) / maxPart
	step := (size + count - 1) / count
	for off := int64(0); off < size; off += step {
		end := min(off+step, size) - 1
		n := w.nextPart
		w.nextPart++
		out, err := d.client.UploadPartCopy(ctx, &s3.UploadPartCopyInput{
			Bucket: d.bucket, Key: aws.String(w.key), UploadId: aws.String(w.uploadID),
			PartNumber:      aws.Int32(n),
			CopySource:      aws.String(copySource(d.p.Bucket, w.key)),
			CopySourceRange: aws.String(fmt.Sprintf("bytes=%d-%d", off, end)),
		})
		if err != nil {
			return nil, d.fail(path, err)
		}
		w.parts = append(w.parts, part{number: n, etag: aws.ToString(out.CopyPartResult.ETag), size: end - off + 1})
		w.stored += end - off + 1
	}
	return w, nil
}

// copySource is the x-amz-copy-source value of a key.
func copySource(bucket, key string) string {
	return (&url.URL{Path: bucket + "/" + key}).EscapedPath()
}

func readAll(r io.Reader, size int64, capacity int) ([]byte, error) {
	b := bytes.NewBuffer(make([]byte, 0, max(int(size), capacity)))
	_, err := b.ReadFrom(r)
	return b.Bytes(), err
}

// uploadsOf lists the multipart uploads in progress for exactly key.
func (d *Driver) uploadsOf(ctx context.Context, key string) ([]types.MultipartUpload, error) {
	var out []types.MultipartUpload
	p := s3.NewListMultipartUploadsPaginator(d.client, &s3.ListMultipartUploadsInput{Bucket: d.bucket, Prefix: aws.String(key)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		for _, u := range page.Uploads {
			if aws.ToString(u.Key) == key {
				out = append(out, u)
			}
		}
	}
	return out, nil
}

// tailKey is where the state of a closed upload is kept: the bytes too few
// for a part, under a name that gives the key and the upload ID (so that
// PurgeUploads finds closed uploads on servers such as MinIO that list
// multipart uploads of one exact key only).
func (d *Driver) tailKey(key, uploadID string) string {
	return d.root + hiddenDir + b64.EncodeToString([]byte(key)) + "/" + b64.EncodeToString([]byte(uploadID))
}

var b64 = base64.RawURLEncoding

// parseTailKey returns the key and upload ID of a tail.
func (d *Driver) parseTailKey(tail string) (key, uploadID string, ok bool) {
	rest, found := strings.CutPrefix(tail, d.root+hiddenDir)
	if !found {
		return "", "", false
	}
	k, u, found := strings.Cut(rest, "/")
	if !found {
		return "", "", false
	}
	kb, err1 := b64.DecodeString(k)
	ub, err2 := b64.DecodeString(u)
	if err1 != nil || err2 != nil {
		return "", "", false
	}
	return string(kb), string(ub), true
}

// abort aborts an upload and deletes its tail.
func (d *Driver) abort(ctx context.Context, key, uploadID string) error {
	_, err := d.client.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{Bucket: d.bucket, Key: aws.String(key), UploadId: aws.String(uploadID)})
	if err != nil && !isNoSuchUpload(err) {
		return err
	}
	return d.deleteTail(ctx, key, uploadID)
}

func (d *Driver) deleteTail(ctx context.Context, key, uploadID string) error {
	_, err := d.client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: d.bucket, Key: aws.String(d.tailKey(key, uploadID))})
	if err != nil && !isNotFound(err) {
		return err
	}
	return nil
}

// resume loads the parts of an upload and its tail, if any.
func (w *writer) resume(uploadID string) error {
	d := w.d
	w.uploadID = uploadID
	p := s3.NewListPartsPaginator(d.client, &s3.ListPartsInput{Bucket: d.bucket, Key: aws.String(w.key), UploadId: aws.String(uploadID)})
	for p.HasMorePages() {
		page, err := p.NextPage(w.ctx)
		if err != nil {
			return err
		}
		for _, pt := range page.Parts {
			n := aws.ToInt32(pt.PartNumber)
			w.parts = append(w.parts, part{number: n, etag: aws.ToString(pt.ETag), size: aws.ToInt64(pt.Size)})
			w.stored += aws.ToInt64(pt.Size)
			w.nextPart = max(w.nextPart, n+1)
		}
	}
	out, err := d.client.GetObject(w.ctx, &s3.GetObjectInput{Bucket: d.bucket, Key: aws.String(d.tailKey(w.key, uploadID))})
	if err != nil {
		if isNotFound(err) {
			return nil
		}
		return err
	}
	defer out.Body.Close()
	w.buf, err = readAll(out.Body, aws.ToInt64(out.ContentLength), w.chunk)
	w.buffers = 1
	return err
}

func (w *writer) ensureUpload() error {
	if w.uploadID != "" {
		return nil
	}
	d := w.d
	in := &s3.CreateMultipartUploadInput{
		Bucket: d.bucket, Key: aws.String(w.key), ContentType: aws.String(contentType),
		StorageClass: d.storageClass(), ACL: d.acl(),
	}
	in.ServerSideEncryption, in.SSEKMSKeyId = d.sse()
	out, err := d.client.CreateMultipartUpload(w.ctx, in)
	if err != nil {
		return err
	}
	w.uploadID = aws.ToString(out.UploadId)
	return nil
}

// getBuffer returns an empty buffer, waiting for a part upload to finish
// when every buffer is in use.
func (w *writer) getBuffer() []byte {
	select {
	case b := <-w.pool:
		return b[:0]
	default:
	}
	w.mu.Lock()
	if w.buffers < w.maxBufs {
		w.buffers++
		w.mu.Unlock()
		return make([]byte, 0, w.chunk)
	}
	w.mu.Unlock()
	return (<-w.pool)[:0]
}

func (w *writer) failed() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.err
}

// Write implements io.Writer.
func (w *writer) Write(p []byte) (int, error) {
	if err := w.failed(); err != nil {
		return 0, err
	}
	n := 0
	for len(p) > 0 {
		if w.buf == nil {
			w.buf = w.getBuffer()
		}
		k := min(len(p), w.chunk-len(w.buf))
		w.buf = append(w.buf, p[:k]...)
		p = p[k:]
		n += k
		if len(w.buf) == w.chunk {
			if err := w.flush(true); err != nil {
				return n, err
			}
		}
	}
	return n, nil
}

// flush uploads the buffer as the next part, in the background when async.
func (w *writer) flush(async bool) error {
	if err := w.ensureUpload(); err != nil {
		return w.d.fail(w.path, err)
	}
	b := w.buf
	w.buf = nil
	n := w.nextPart
	w.nextPart++
	if n > maxParts {
		return fmt.Errorf("s3: upload to %s needs more than %d parts: raise chunksize", w.path, maxParts)
	}
	w.mu.Lock()
	w.stored += int64(len(b))
	w.mu.Unlock()
	upload := func() error {
		out, err := w.d.client.UploadPart(w.ctx, &s3.UploadPartInput{
			Bucket: w.d.bucket, Key: aws.String(w.key), UploadId: aws.String(w.uploadID),
			PartNumber: aws.Int32(n), Body: bytes.NewReader(b), ContentLength: aws.Int64(int64(len(b))),
		})
		w.mu.Lock()
		defer w.mu.Unlock()
		if err != nil {
			err = w.d.fail(w.path, err)
			if w.err == nil {
				w.err = err
			}
			return err
		}
		w.parts = append(w.parts, part{number: n, etag: aws.ToString(out.ETag), size: int64(len(b))})
		return nil
	}
	if !async {
		err := upload()
		w.pool <- b
		return err
	}
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		_ = upload()
		w.pool <- b
	}()
	return nil
}

// wait waits for the part uploads in flight and returns the first error.
func (w *writer) wait() error {
	w.wg.Wait()
	return w.failed()
}

// Size implements driver.FileWriter.
func (w *writer) Size() int64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.stored + int64(len(w.buf))
}

// Close implements io.Closer: it stores what was written so that a later
// Writer(path, true) resumes the upload.
func (w *writer) Close() error {
	if err := w.wait(); err != nil {
		return err
	}
	if err := w.ensureUpload(); err != nil {
		return w.d.fail(w.path, err)
	}
	if len(w.buf) >= minPartSize {
		if err := w.flush(false); err != nil {
			return err
		}
	}
	// The tail is written even when empty: it marks the closed upload.
	if err := w.d.putObject(w.ctx, w.path, w.d.tailKey(w.key, w.uploadID), w.buf); err != nil {
		return err
	}
	w.buf = nil
	return nil
}

// Cancel implements driver.FileWriter.
func (w *writer) Cancel(ctx context.Context) error {
	_ = w.wait()
	w.buf = nil
	if w.uploadID == "" {
		return nil
	}
	return w.d.fail(w.path, w.d.abort(ctx, w.key, w.uploadID))
}

// Commit implements driver.FileWriter.
func (w *writer) Commit(ctx context.Context) error {
	if err := w.wait(); err != nil {
		return err
	}
	w.ctx = ctx
	if w.stored == 0 {
		// Everything is in the buffer: one PutObject.
		if err := w.d.putObject(ctx, w.path, w.key, w.buf); err != nil {
			return err
		}
		w.buf = nil
		if w.uploadID != "" {
			return w.d.fail(w.path, w.d.abort(ctx, w.key, w.uploadID))
		}
		return nil
	}
	if len(w.buf) > 0 {
		if err := w.flush(false); err != nil {
			return err
		}
	}
	parts := slices.Clone(w.parts)
	slices.SortFunc(parts, func(a, b part) int { return int(a.number - b.number) })
	completed := make([]types.CompletedPart, 0, len(parts))
	for _, p := range parts {
		completed = append(completed, types.CompletedPart{PartNumber: aws.Int32(p.number), ETag: aws.String(p.etag)})
	}
	_, err := w.d.client.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{
		Bucket: w.d.bucket, Key: aws.String(w.key), UploadId: aws.String(w.uploadID),
		MultipartUpload: &types.CompletedMultipartUpload{Parts: completed},
	})
	if err != nil {
		return w.d.fail(w.path, err)
	}
	return w.d.fail(w.path, w.d.deleteTail(ctx, w.key, w.uploadID))
}
