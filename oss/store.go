package oss

import (
	"context"
	"io"
	"iter"
	"strconv"
	"strings"

	alioss "github.com/aliyun/aliyun-oss-go-sdk/oss"

	"github.com/stowage/stowage/internal/multipart"
)

// store is the OSS side of the multipart engine (internal/multipart): each
// method is one OSS operation with the driver's encryption.
type store struct{ d *Driver }

var _ multipart.Store = store{}

func (s store) imur(key, uploadID string) alioss.InitiateMultipartUploadResult {
	return alioss.InitiateMultipartUploadResult{Bucket: s.d.bucket.BucketName, Key: key, UploadID: uploadID}
}

func (s store) Create(ctx context.Context, key string) (string, error) {
	imur, err := s.d.bucket.InitiateMultipartUpload(key, s.d.writeOpts(ctx, alioss.ContentType(contentType))...)
	if err != nil {
		return "", wrap("InitiateMultipartUpload", key, err)
	}
	return imur.UploadID, nil
}

func (s store) UploadPart(ctx context.Context, key, uploadID string, n int, body io.ReadSeeker, size int64) (string, error) {
	var p alioss.UploadPart
	err := s.d.sendAgain(ctx, "UploadPart "+key, body, func() (err error) {
		p, err = s.d.bucket.UploadPart(s.imur(key, uploadID), body, size, n, alioss.WithContext(ctx))
		return err
	})
	if err != nil {
		return "", wrap("UploadPart", key, err)
	}
	return p.ETag, nil
}

func (s store) CopyPart(ctx context.Context, key, uploadID string, n int, src string, off, size int64) (string, error) {
	p, err := s.d.bucket.UploadPartCopy(s.imur(key, uploadID), s.d.bucket.BucketName, src, off, size, n, alioss.WithContext(ctx))
	if err != nil {
		return "", wrap("UploadPartCopy", key, err)
	}
	return p.ETag, nil
}

func (s store) Complete(ctx context.Context, key, uploadID string, parts []multipart.Part) error {
	up := make([]alioss.UploadPart, len(parts))
	for i, p := range parts {
		up[i] = alioss.UploadPart{PartNumber: p.Number, ETag: p.ETag}
	}
	res, err := s.d.bucket.CompleteMultipartUpload(s.imur(key, uploadID), up, alioss.WithContext(ctx))
	if err == nil {
		var size int64
		for _, p := range parts {
			size += p.Size
		}
		s.d.seen.Saw(key, size, res.ETag)
		return nil
	}
	if errCode(err) == "NoSuchUpload" && s.completed(ctx, key, parts) {
		// A repeated Complete whose first answer was lost: the first one
		// assembled the object.
		return nil
	}
	return wrap("CompleteMultipartUpload", key, err)
}

// completed reports whether the object at key is the one a Complete of
// parts makes: as many bytes, and a multipart ETag of as many parts.
func (s store) completed(ctx context.Context, key string, parts []multipart.Part) bool {
	h, err := s.d.bucket.GetObjectDetailedMeta(key, alioss.WithContext(ctx))
	if err != nil {
		return false
	}
	var size int64
	for _, p := range parts {
		size += p.Size
	}
	return h.Get("Content-Length") == strconv.FormatInt(size, 10) &&
		strings.HasSuffix(strings.Trim(h.Get("ETag"), `"`), "-"+strconv.Itoa(len(parts)))
}

func (s store) Abort(ctx context.Context, key, uploadID string) error {
	return wrap("AbortMultipartUpload", key, s.d.bucket.AbortMultipartUpload(s.imur(key, uploadID), alioss.WithContext(ctx)))
}

func (s store) Uploads(ctx context.Context, prefix string) iter.Seq2[multipart.Upload, error] {
	return func(yield func(multipart.Upload, error) bool) {
		keyMarker, idMarker := "", ""
		for {
			opts := []alioss.Option{alioss.Prefix(prefix), alioss.MaxUploads(1000), alioss.WithContext(ctx)}
			if keyMarker != "" {
				opts = append(opts, alioss.KeyMarker(keyMarker), alioss.UploadIDMarker(idMarker))
			}
			res, err := s.d.bucket.ListMultipartUploads(opts...)
			if err != nil {
				yield(multipart.Upload{}, wrap("ListMultipartUploads", prefix, err))
				return
			}
			for _, u := range res.Uploads {
				if !yield(multipart.Upload{Key: u.Key, ID: u.UploadID, Initiated: u.Initiated}, nil) {
					return
				}
			}
			if !res.IsTruncated || res.NextKeyMarker == "" {
				return
			}
			keyMarker, idMarker = res.NextKeyMarker, res.NextUploadIDMarker
		}
	}
}

func (s store) Put(ctx context.Context, key string, body io.ReadSeeker, size int64) error {
	return s.d.putSeen(ctx, key, body, size)
}

func (s store) PutIfAbsent(ctx context.Context, key string, body io.ReadSeeker, size int64) (bool, error) {
	err := s.d.sendAgain(ctx, "PutObject "+key, body, func() error {
		return s.d.bucket.PutObject(key, body, s.d.writeOpts(ctx, alioss.ContentLength(size), alioss.ForbidOverWrite(true))...)
	})
	if errCode(err) == "FileAlreadyExists" {
		return false, nil
	}
	return err == nil, wrap("PutObject", key, err)
}

func (s store) Get(ctx context.Context, key string, off int64) (io.ReadCloser, error) {
	res, err := s.d.getObject(ctx, key, off, "")
	if err != nil {
		return nil, wrap("GetObject", key, err)
	}
	return s.d.resumable(ctx, key, off, res), nil
}

func (s store) Head(ctx context.Context, key string) (int64, error) {
	h, err := s.d.bucket.GetObjectDetailedMeta(key, alioss.WithContext(ctx))
	if err != nil {
		return 0, wrap("HeadObject", key, err)
	}
	return strconv.ParseInt(h.Get("Content-Length"), 10, 64)
}

func (s store) Delete(ctx context.Context, key string) error {
	err := s.d.bucket.DeleteObject(key, alioss.WithContext(ctx))
	if err != nil && !isNotFound(err) {
		return wrap("DeleteObject", key, err)
	}
	return nil
}

func (s store) List(ctx context.Context, prefix string) iter.Seq2[multipart.Object, error] {
	return func(yield func(multipart.Object, error) bool) {
		token := ""
		for {
			opts := []alioss.Option{alioss.Prefix(prefix), alioss.MaxKeys(1000), alioss.WithContext(ctx)}
			if token != "" {
				opts = append(opts, alioss.ContinuationToken(token))
			}
			res, err := s.d.bucket.ListObjectsV2(opts...)
			if err != nil {
				yield(multipart.Object{}, wrap("ListObjectsV2", prefix, err))
				return
			}
			for _, o := range res.Objects {
				if !yield(multipart.Object{Key: o.Key, Size: o.Size, Modified: o.LastModified}, nil) {
					return
				}
			}
			if !res.IsTruncated || res.NextContinuationToken == "" {
				return
			}
			token = res.NextContinuationToken
		}
	}
}

func (s store) NotFound(err error) bool { return isNotFound(err) }
