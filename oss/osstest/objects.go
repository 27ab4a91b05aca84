package osstest

import (
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"hash/crc64"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// readBody reads the request body and checks Content-MD5 when given.
func readBody(req *request) ([]byte, *ossError) {
	data, err := io.ReadAll(req.r.Body)
	if err != nil {
		return nil, errorf(400, "IncompleteBody", "reading the body: %v", err)
	}
	if cl := req.r.ContentLength; cl >= 0 && int64(len(data)) != cl {
		return nil, errorf(400, "IncompleteBody", "the body has %d bytes, Content-Length says %d", len(data), cl)
	}
	if want := req.headers.Get("Content-MD5"); want != "" {
		sum := md5.Sum(data)
		if base64.StdEncoding.EncodeToString(sum[:]) != want {
			return nil, errorf(400, "InvalidDigest", "The Content-MD5 you specified is not valid.")
		}
	}
	return data, nil
}

func newObject(data []byte, h http.Header, now time.Time) *object {
	ct := h.Get("Content-Type")
	if ct == "" {
		ct = "application/octet-stream"
	}
	return &object{
		data: data, etag: etagOf(data), modTime: now, contentType: ct,
		sse: h.Get("x-oss-server-side-encryption"), sseKeyID: h.Get("x-oss-server-side-encryption-key-id"),
		objectType: "Normal", crc: crc64.Checksum(data, crcTable),
	}
}

func setSSEHeaders(h http.Header, sse, keyID string) {
	if sse != "" {
		h.Set("x-oss-server-side-encryption", sse)
		if sse == "KMS" {
			h.Set("x-oss-server-side-data-encryption", "AES256")
		}
	}
	if keyID != "" {
		h.Set("x-oss-server-side-encryption-key-id", keyID)
	}
}

func (s *Server) putObject(req *request) *ossError {
	data, err := readBody(req)
	if err != nil {
		return err
	}
	b, err := s.lockBucket(req)
	if err != nil {
		return err
	}
	if strings.EqualFold(req.headers.Get("x-oss-forbid-overwrite"), "true") && b.objects[req.key] != nil {
		s.mu.Unlock()
		return errorf(409, "FileAlreadyExists", "The object you specified already exists and can not be overwritten.")
	}
	o := newObject(data, req.headers, s.stamp())
	b.objects[req.key] = o
	s.mu.Unlock()
	h := req.w.Header()
	h.Set("ETag", o.etag)
	h.Set("x-oss-hash-crc64ecma", strconv.FormatUint(o.crc, 10))
	h.Set("Content-MD5", md5Base64(o.etag))
	setSSEHeaders(h, o.sse, o.sseKeyID)
	req.w.WriteHeader(200)
	return nil
}

// md5Base64 turns a plain MD5 ETag into the base64 form of Content-MD5.
func md5Base64(etag string) string {
	raw, _ := hex.DecodeString(normETag(etag))
	return base64.StdEncoding.EncodeToString(raw)
}

func (s *Server) getObject(req *request, head bool) *ossError {
	b, err := s.lockBucket(req)
	if err != nil {
		return err
	}
	o := b.objects[req.key]
	s.mu.Unlock()
	if o == nil {
		return noSuchKey(req.key)
	}
	if m := req.headers.Get("If-Match"); m != "" && normETag(m) != normETag(o.etag) {
		return errorf(412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold.")
	}
	size := int64(len(o.data))
	start, end, status := int64(0), size-1, 200
	if rng := req.headers.Get("Range"); rng != "" && !head {
		standard := strings.EqualFold(req.headers.Get("x-oss-range-behavior"), "standard")
		st, en, ok, satisfiable := parseRange(rng, size)
		switch {
		case ok && satisfiable:
			start, end, status = st, en, 206
		case ok && standard:
			e := errorf(416, "InvalidRange", "The requested range cannot be satisfied")
			req.w.Header().Set("Content-Range", fmt.Sprintf("bytes */%d", size))
			return e
		}
		// Otherwise OSS ignores the range and returns the whole object.
	}
	h := req.w.Header()
	h.Set("ETag", o.etag)
	h.Set("Last-Modified", o.modTime.Format(http.TimeFormat))
	h.Set("Content-Type", o.contentType)
	h.Set("Accept-Ranges", "bytes")
	h.Set("x-oss-object-type", o.objectType)
	h.Set("x-oss-storage-class", "Standard")
	h.Set("x-oss-hash-crc64ecma", strconv.FormatUint(o.crc, 10))
	setSSEHeaders(h, o.sse, o.sseKeyID)
	if status == 206 {
		h.Set("Content-Range", fmt.Sprintf("bytes %d-%d/%d", start, end, size))
	}
	h.Set("Content-Length", strconv.FormatInt(end-start+1, 10))
	req.w.WriteHeader(status)
	if !head {
		_, _ = req.w.Write(o.data[start : end+1])
	}
	return nil
}

// parseRange parses "bytes=a-b", "bytes=a-" or "bytes=-n". ok is false
// when the header is malformed (OSS then ignores it); satisfiable is false
// when the range lies outside the object.
func parseRange(h string, size int64) (start, end int64, ok, satisfiable bool) {
	spec, found := strings.CutPrefix(strings.TrimSpace(h), "bytes=")
	if !found || strings.Contains(spec, ",") {
		return 0, 0, false, false
	}
	a, bs, found := strings.Cut(spec, "-")
	if !found {
		return 0, 0, false, false
	}
	if a == "" {
		n, err := strconv.ParseInt(bs, 10, 64)
		if err != nil || n <= 0 {
			return 0, 0, false, false
		}
		if size == 0 {
			return 0, 0, true, false
		}
		return max(size-n, 0), size - 1, true, true
	}
	start, err := strconv.ParseInt(a, 10, 64)
	if err != nil || start < 0 {
		return 0, 0, false, false
	}
	end = size - 1
	if bs != "" {
		if end, err = strconv.ParseInt(bs, 10, 64); err != nil || end < start {
			return 0, 0, false, false
		}
		end = min(end, size-1)
	}
	if start >= size {
		return 0, 0, true, false
	}
	return start, end, true, true
}

func (s *Server) deleteObject(req *request) *ossError {
	b, err := s.lockBucket(req)
	if err != nil {
		return err
	}
	delete(b.objects, req.key)
	s.mu.Unlock()
	req.w.WriteHeader(204)
	return nil
}

// parseCopySource parses x-oss-copy-source: /bucket/url-escaped-key.
func parseCopySource(h string) (bucketName, key string, err *ossError) {
	src := strings.TrimPrefix(h, "/")
	bn, k, ok := strings.Cut(src, "/")
	if !ok || bn == "" || k == "" {
		return "", "", errorf(400, "InvalidArgument", "x-oss-copy-source is invalid: %q", h)
	}
	if i := strings.Index(k, "?versionId="); i >= 0 {
		k = k[:i]
	}
	key, uerr := url.QueryUnescape(k)
	if uerr != nil {
		return "", "", errorf(400, "InvalidArgument", "x-oss-copy-source is invalid: %v", uerr)
	}
	return bn, key, nil
}

// source returns the object a copy reads; the caller holds s.mu.
func (s *Server) source(req *request) (*object, *ossError) {
	bn, key, err := parseCopySource(req.headers.Get("x-oss-copy-source"))
	if err != nil {
		return nil, err
	}
	sb := s.buckets[bn]
	if sb == nil {
		return nil, noSuchBucket(bn)
	}
	o := sb.objects[key]
	if o == nil {
		return nil, noSuchKey(key)
	}
	return o, nil
}

type copyObjectResult struct {
	XMLName      xml.Name `xml:"CopyObjectResult"`
	LastModified string   `xml:"LastModified"`
	ETag         string   `xml:"ETag"`
}

func (s *Server) copyObject(req *request) *ossError {
	b, err := s.lockBucket(req)
	if err != nil {
		return err
	}
	src, err := s.source(req)
	if err != nil {
		s.mu.Unlock()
		return err
	}
	if m := req.headers.Get("x-oss-copy-source-if-match"); m != "" && normETag(m) != normETag(src.etag) {
		s.mu.Unlock()
		return errorf(412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold.")
	}
	if int64(len(src.data)) > s.maxCopySize {
		s.mu.Unlock()
		return errorf(400, "InvalidArgument", "The source object of CopyObject must be at most %d bytes; use UploadPartCopy.", s.maxCopySize)
	}
	o := &object{
		data: src.data, etag: src.etag, modTime: s.stamp(), contentType: src.contentType,
		sse: req.headers.Get("x-oss-server-side-encryption"), sseKeyID: req.headers.Get("x-oss-server-side-encryption-key-id"),
		objectType: src.objectType, crc: src.crc,
	}
	if strings.EqualFold(req.headers.Get("x-oss-metadata-directive"), "REPLACE") {
		if ct := req.headers.Get("Content-Type"); ct != "" {
			o.contentType = ct
		}
	}
	b.objects[req.key] = o
	s.mu.Unlock()
	setSSEHeaders(req.w.Header(), o.sse, o.sseKeyID)
	s.writeXML(req, 200, copyObjectResult{LastModified: o.modTime.Format(time.RFC3339), ETag: o.etag})
	return nil
}

type deleteRequest struct {
	XMLName xml.Name `xml:"Delete"`
	Quiet   bool     `xml:"Quiet"`
	Objects []struct {
		Key string `xml:"Key"`
	} `xml:"Object"`
}

type deleteResult struct {
	XMLName      xml.Name `xml:"DeleteResult"`
	EncodingType string   `xml:"EncodingType,omitempty"`
	Deleted      []struct {
		Key string `xml:"Key"`
	} `xml:"Deleted"`
}

func (s *Server) deleteMultiple(req *request) *ossError {
	if req.headers.Get("Content-MD5") == "" {
		return errorf(400, "InvalidDigest", "DeleteMultipleObjects needs Content-MD5.")
	}
	body, err := readBody(req)
	if err != nil {
		return err
	}
	var d deleteRequest
	if xerr := xml.Unmarshal(body, &d); xerr != nil {
		return errorf(400, "MalformedXML", "The XML you provided was not well-formed: %v", xerr)
	}
	if len(d.Objects) == 0 || len(d.Objects) > 1000 {
		return errorf(400, "MalformedXML", "DeleteMultipleObjects takes 1 to 1000 keys, got %d", len(d.Objects))
	}
	b, err := s.lockBucket(req)
	if err != nil {
		return err
	}
	enc := req.query.Get("encoding-type") == "url"
	var res deleteResult
	if enc {
		res.EncodingType = "url"
	}
	for _, o := range d.Objects {
		delete(b.objects, o.Key)
		if !d.Quiet {
			k := o.Key
			if enc {
				k = url.QueryEscape(k)
			}
			res.Deleted = append(res.Deleted, struct {
				Key string `xml:"Key"`
			}{k})
		}
	}
	s.mu.Unlock()
	s.writeXML(req, 200, res)
	return nil
}
