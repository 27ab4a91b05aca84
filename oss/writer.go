package oss

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"slices"
	"sort"
	"strconv"

	alioss "github.com/aliyun/aliyun-oss-go-sdk/oss"

	"github.com/stowage/stowage/driver"
)

// writer is an upload in progress: an OSS multipart upload of whole
// chunksize parts, and a buffer of less than a part. Close stores the buffer
// as a hidden "tail" object beside the root (<uploads><uploadID>), since OSS
// parts cannot be read back; a writer that resumes the upload finds it by
// ListMultipartUploads on the key, sums its parts with ListParts and reads
// the tail back into its buffer.
type writer struct {
	d    *Driver
	ctx  context.Context
	path string
	key  string
	imur alioss.InitiateMultipartUploadResult
	// parts are the uploaded parts, numbered 1..len(parts).
	parts     []alioss.UploadPart
	partsSize int64
	buf       []byte
	// tailStored is set while the tail object holds bytes that are in buf
	// and in no part.
	tailStored bool
}

func (d *Driver) tailKey(uploadID string) string { return d.uploads + uploadID }

// Writer implements driver.StorageDriver.
func (d *Driver) Writer(ctx context.Context, path string, append bool) (driver.FileWriter, error) {
	key := d.key(path)
	w := &writer{d: d, ctx: context.WithoutCancel(ctx), path: path, key: key}
	if !append {
		if err := d.abortUploads(ctx, key); err != nil {
			return nil, err
		}
		return w, w.initiate(ctx)
	}
	ups, err := d.uploadsOf(ctx, key)
	if err != nil {
		return nil, err
	}
	if len(ups) > 0 {
		return w, w.resume(ctx, ups[len(ups)-1])
	}
	// Append to a committed object: a new upload that starts with it.
	fi, err := d.Stat(ctx, path)
	if err != nil {
		return nil, err
	}
	if fi.IsDir() {
		return nil, driver.PathNotFoundError{Path: path}
	}
	if err := w.initiate(ctx); err != nil {
		return nil, err
	}
	if fi.Size() < d.chunkSize {
		data, err := d.GetContent(ctx, path)
		if err != nil {
			_ = w.abort(ctx)
			return nil, err
		}
		w.buf = data
		return w, nil
	}
	parts, err := d.copyParts(ctx, w.imur, key, fi.Size())
	if err != nil {
		_ = w.abort(ctx)
		return nil, err
	}
	w.parts, w.partsSize = parts, fi.Size()
	return w, nil
}

func (w *writer) initiate(ctx context.Context) error {
	imur, err := w.d.bucket.InitiateMultipartUpload(w.key, w.d.writeOpts(ctx, alioss.ContentType("application/octet-stream"))...)
	if err != nil {
		return wrap("InitiateMultipartUpload", w.key, err)
	}
	w.imur = imur
	return nil
}

// resume continues the upload u: its parts, then its tail.
func (w *writer) resume(ctx context.Context, u alioss.UncompletedUpload) error {
	w.imur = alioss.InitiateMultipartUploadResult{Bucket: w.d.bucket.BucketName, Key: u.Key, UploadID: u.UploadID}
	marker := ""
	for {
		opts := []alioss.Option{alioss.WithContext(ctx), alioss.MaxParts(1000)}
		if marker != "" {
			opts = append(opts, alioss.PartNumberMarker(mustAtoi(marker)))
		}
		res, err := w.d.bucket.ListUploadedParts(w.imur, opts...)
		if err != nil {
			return wrap("ListParts", w.key, err)
		}
		for _, p := range res.UploadedParts {
			w.parts = append(w.parts, alioss.UploadPart{PartNumber: p.PartNumber, ETag: p.ETag})
			w.partsSize += int64(p.Size)
		}
		if !res.IsTruncated || res.NextPartNumberMarker == "" {
			break
		}
		marker = res.NextPartNumberMarker
	}
	sort.Slice(w.parts, func(i, j int) bool { return w.parts[i].PartNumber < w.parts[j].PartNumber })
	for i, p := range w.parts {
		if p.PartNumber != i+1 {
			return fmt.Errorf("oss: upload %s of %q has a gap in its parts at part %d", u.UploadID, w.key, i+1)
		}
	}
	tail := w.d.tailKey(u.UploadID)
	rc, err := w.d.bucket.GetObject(tail, alioss.WithContext(ctx))
	switch {
	case err == nil:
		defer rc.Close()
		data, err := io.ReadAll(rc)
		if err != nil {
			return wrap("GetObject", tail, err)
		}
		w.buf, w.tailStored = data, true
	case !isNotFound(err):
		return wrap("GetObject", tail, err)
	}
	return nil
}

func mustAtoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// uploadsOf lists the multipart uploads of exactly key, oldest first.
func (d *Driver) uploadsOf(ctx context.Context, key string) ([]alioss.UncompletedUpload, error) {
	var out []alioss.UncompletedUpload
	keyMarker, idMarker := "", ""
	for {
		opts := []alioss.Option{alioss.Prefix(key), alioss.MaxUploads(1000), alioss.WithContext(ctx)}
		if keyMarker != "" {
			opts = append(opts, alioss.KeyMarker(keyMarker), alioss.UploadIDMarker(idMarker))
		}
		res, err := d.bucket.ListMultipartUploads(opts...)
		if err != nil {
			return nil, wrap("ListMultipartUploads", key, err)
		}
		for _, u := range res.Uploads {
			if u.Key == key {
				out = append(out, u)
			}
		}
		if !res.IsTruncated || res.NextKeyMarker == "" || res.NextKeyMarker > key {
			break
		}
		keyMarker, idMarker = res.NextKeyMarker, res.NextUploadIDMarker
	}
	slices.SortStableFunc(out, func(a, b alioss.UncompletedUpload) int { return a.Initiated.Compare(b.Initiated) })
	return out, nil
}

// abortUploads aborts every upload of key and removes their tails.
func (d *Driver) abortUploads(ctx context.Context, key string) error {
	ups, err := d.uploadsOf(ctx, key)
	if err != nil {
		return err
	}
	for _, u := range ups {
		if err := d.abortUpload(ctx, u.Key, u.UploadID); err != nil {
			return err
		}
	}
	return nil
}

func (d *Driver) abortUpload(ctx context.Context, key, uploadID string) error {
	imur := alioss.InitiateMultipartUploadResult{Bucket: d.bucket.BucketName, Key: key, UploadID: uploadID}
	if err := d.bucket.AbortMultipartUpload(imur, alioss.WithContext(ctx)); err != nil && !isNotFound(err) {
		return wrap("AbortMultipartUpload", key, err)
	}
	tail := d.tailKey(uploadID)
	return wrap("DeleteObject", tail, d.bucket.DeleteObject(tail, alioss.WithContext(ctx)))
}

// Write implements io.Writer: whole parts are uploaded as they fill.
func (w *writer) Write(p []byte) (int, error) {
	n := 0
	for len(p) > 0 {
		if w.buf == nil {
			w.buf = make([]byte, 0, w.d.chunkSize)
		}
		room := int(w.d.chunkSize) - len(w.buf)
		if room <= 0 {
			if err := w.flushPart(w.ctx); err != nil {
				return n, err
			}
			continue
		}
		c := min(room, len(p))
		w.buf = append(w.buf, p[:c]...)
		p, n = p[c:], n+c
	}
	if int64(len(w.buf)) >= w.d.chunkSize {
		if err := w.flushPart(w.ctx); err != nil {
			return n, err
		}
	}
	return n, nil
}

// flushPart uploads the buffer as the next part.
func (w *writer) flushPart(ctx context.Context) error {
	num := len(w.parts) + 1
	part, err := w.d.bucket.UploadPart(w.imur, bytes.NewReader(w.buf), int64(len(w.buf)), num, alioss.WithContext(ctx))
	if err != nil {
		return wrap("UploadPart", w.key, err)
	}
	w.parts = append(w.parts, part)
	w.partsSize += int64(len(w.buf))
	w.buf = w.buf[:0]
	if w.tailStored {
		tail := w.d.tailKey(w.imur.UploadID)
		if err := w.d.bucket.DeleteObject(tail, alioss.WithContext(ctx)); err != nil {
			return wrap("DeleteObject", tail, err)
		}
		w.tailStored = false
	}
	return nil
}

// Size implements driver.FileWriter.
func (w *writer) Size() int64 { return w.partsSize + int64(len(w.buf)) }

// Close implements io.Closer: the buffer goes to the tail object, so that a
// later Writer(path, true) continues.
func (w *writer) Close() error {
	if len(w.buf) == 0 {
		return nil
	}
	tail := w.d.tailKey(w.imur.UploadID)
	if err := w.d.bucket.PutObject(tail, bytes.NewReader(w.buf), w.d.writeOpts(w.ctx)...); err != nil {
		return wrap("PutObject", tail, err)
	}
	w.tailStored = true
	w.buf = nil
	return nil
}

// Commit implements driver.FileWriter. An upload with no part yet is
// stored with one PutObject; otherwise the buffer becomes the last part and
// CompleteMultipartUpload makes the object appear at once.
func (w *writer) Commit(ctx context.Context) error {
	if len(w.parts) == 0 {
		data := w.buf
		if data == nil {
			data = []byte{}
		}
		if err := w.d.bucket.PutObject(w.key, bytes.NewReader(data), w.d.writeOpts(ctx)...); err != nil {
			return wrap("PutObject", w.key, err)
		}
		w.buf = nil
		return w.abort(ctx)
	}
	if len(w.buf) > 0 {
		if err := w.flushPart(ctx); err != nil {
			return err
		}
	}
	if _, err := w.d.bucket.CompleteMultipartUpload(w.imur, w.parts, alioss.WithContext(ctx)); err != nil {
		return wrap("CompleteMultipartUpload", w.key, err)
	}
	tail := w.d.tailKey(w.imur.UploadID)
	return wrap("DeleteObject", tail, w.d.bucket.DeleteObject(tail, alioss.WithContext(ctx)))
}

// Cancel implements driver.FileWriter: the upload is aborted and its tail
// removed.
func (w *writer) Cancel(ctx context.Context) error {
	w.buf = nil
	return w.abort(ctx)
}

func (w *writer) abort(ctx context.Context) error {
	return w.d.abortUpload(ctx, w.key, w.imur.UploadID)
}
