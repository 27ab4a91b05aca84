package osstest

import (
	"crypto/md5"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"hash/crc64"
	"net/url"
	"strconv"
	"strings"
)

const maxPartNumber = 10000

type initiateResult struct {
	XMLName      xml.Name `xml:"InitiateMultipartUploadResult"`
	Bucket       string   `xml:"Bucket"`
	Key          string   `xml:"Key"`
	UploadID     string   `xml:"UploadId"`
	EncodingType string   `xml:"EncodingType,omitempty"`
}

func (s *Server) initiateUpload(req *request) *ossError {
	b, err := s.lockBucket(req)
	if err != nil {
		return err
	}
	id := strings.ToUpper(newRequestID() + newRequestID()[:8])
	ct := req.headers.Get("Content-Type")
	if ct == "" {
		ct = "application/octet-stream"
	}
	u := &upload{
		id: id, key: req.key, initiated: s.now().UTC(), contentType: ct,
		sse: req.headers.Get("x-oss-server-side-encryption"), sseKeyID: req.headers.Get("x-oss-server-side-encryption-key-id"),
		parts: map[int]*part{},
	}
	b.uploads[id] = u
	s.mu.Unlock()
	setSSEHeaders(req.w.Header(), u.sse, u.sseKeyID)
	s.writeXML(req, 200, initiateResult{Bucket: req.bucket, Key: req.key, UploadID: id})
	return nil
}

// lockUpload locks the server and returns the request's upload; the caller
// unlocks s.mu.
func (s *Server) lockUpload(req *request) (*bucket, *upload, *ossError) {
	b, err := s.lockBucket(req)
	if err != nil {
		return nil, nil, err
	}
	id := req.query.Get("uploadId")
	u := b.uploads[id]
	if u == nil || u.key != req.key {
		s.mu.Unlock()
		e := errorf(404, "NoSuchUpload", "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.")
		e.UploadID = id
		return nil, nil, e
	}
	return b, u, nil
}

func partNumber(req *request) (int, *ossError) {
	n, err := strconv.Atoi(req.query.Get("partNumber"))
	if err != nil || n < 1 || n > maxPartNumber {
		return 0, errorf(400, "InvalidArgument", "Part number must be an integer between 1 and %d.", maxPartNumber)
	}
	return n, nil
}

func (s *Server) uploadPart(req *request) *ossError {
	n, err := partNumber(req)
	if err != nil {
		return err
	}
	data, err := readBody(req)
	if err != nil {
		return err
	}
	_, u, err := s.lockUpload(req)
	if err != nil {
		return err
	}
	p := &part{data: data, etag: etagOf(data), modTime: s.stamp()}
	u.parts[n] = p
	s.mu.Unlock()
	h := req.w.Header()
	h.Set("ETag", p.etag)
	h.Set("x-oss-hash-crc64ecma", strconv.FormatUint(crc64.Checksum(data, crcTable), 10))
	h.Set("Content-MD5", md5Base64(p.etag))
	req.w.WriteHeader(200)
	return nil
}

type copyPartResult struct {
	XMLName      xml.Name `xml:"CopyPartResult"`
	LastModified string   `xml:"LastModified"`
	ETag         string   `xml:"ETag"`
}

func (s *Server) uploadPartCopy(req *request) *ossError {
	n, err := partNumber(req)
	if err != nil {
		return err
	}
	_, u, err := s.lockUpload(req)
	if err != nil {
		return err
	}
	src, err := s.source(req)
	if err != nil {
		s.mu.Unlock()
		return err
	}
	data := src.data
	if rng := req.headers.Get("x-oss-copy-source-range"); rng != "" {
		st, en, ok, sat := parseRange(rng, int64(len(data)))
		if !ok || !sat || !strings.Contains(rng, "-") || strings.HasPrefix(strings.TrimPrefix(rng, "bytes="), "-") {
			s.mu.Unlock()
			return errorf(416, "InvalidRange", "The x-oss-copy-source-range %q cannot be satisfied by an object of %d bytes.", rng, len(data))
		}
		data = data[st : en+1]
	}
	p := &part{data: data, etag: etagOf(data), modTime: s.stamp()}
	u.parts[n] = p
	s.mu.Unlock()
	s.writeXML(req, 200, copyPartResult{LastModified: p.modTime.Format("2006-01-02T15:04:05.000Z"), ETag: p.etag})
	return nil
}

type completeRequest struct {
	XMLName xml.Name `xml:"CompleteMultipartUpload"`
	Parts   []struct {
		PartNumber int    `xml:"PartNumber"`
		ETag       string `xml:"ETag"`
	} `xml:"Part"`
}

type completeResult struct {
	XMLName      xml.Name `xml:"CompleteMultipartUploadResult"`
	EncodingType string   `xml:"EncodingType,omitempty"`
	Location     string   `xml:"Location"`
	Bucket       string   `xml:"Bucket"`
	Key          string   `xml:"Key"`
	ETag         string   `xml:"ETag"`
}

func normETag(e string) string { return strings.ToUpper(strings.Trim(e, `" `)) }

func (s *Server) completeUpload(req *request) *ossError {
	body, err := readBody(req)
	if err != nil {
		return err
	}
	var c completeRequest
	all := strings.EqualFold(req.headers.Get("x-oss-complete-all"), "yes")
	if !all {
		if xerr := xml.Unmarshal(body, &c); xerr != nil {
			return errorf(400, "MalformedXML", "The XML you provided was not well-formed: %v", xerr)
		}
		if len(c.Parts) == 0 {
			return errorf(400, "MalformedXML", "CompleteMultipartUpload lists no parts.")
		}
	}
	b, u, err := s.lockUpload(req)
	if err != nil {
		return err
	}
	defer s.mu.Unlock()
	var nums []int
	if all {
		for n := 1; n <= maxPartNumber; n++ {
			if u.parts[n] != nil {
				nums = append(nums, n)
			}
		}
	} else {
		prev := 0
		for _, p := range c.Parts {
			if p.PartNumber <= prev {
				return errorf(400, "InvalidPartOrder", "The list of parts was not in ascending order.")
			}
			prev = p.PartNumber
			got := u.parts[p.PartNumber]
			if got == nil || normETag(got.etag) != normETag(p.ETag) {
				return errorf(400, "InvalidPart", "One or more of the specified parts could not be found or the specified entity tag might not have matched the part's entity tag (part %d).", p.PartNumber)
			}
			nums = append(nums, p.PartNumber)
		}
	}
	total := 0
	for _, n := range nums {
		total += len(u.parts[n].data)
	}
	data := make([]byte, 0, total)
	md := md5.New()
	for i, n := range nums {
		p := u.parts[n]
		if i < len(nums)-1 && int64(len(p.data)) < s.minPartSize {
			return errorf(400, "EntityTooSmall", "Your proposed upload part %d is smaller than the minimum allowed size of %d bytes.", n, s.minPartSize)
		}
		data = append(data, p.data...)
		raw, _ := hex.DecodeString(normETag(p.etag))
		md.Write(raw)
	}
	etag := fmt.Sprintf(`"%s-%d"`, strings.ToUpper(hex.EncodeToString(md.Sum(nil))), len(nums))
	o := &object{
		data: data, etag: etag, modTime: s.stamp(), contentType: u.contentType,
		sse: u.sse, sseKeyID: u.sseKeyID, objectType: "Multipart", crc: crc64.Checksum(data, crcTable),
	}
	b.objects[u.key] = o
	delete(b.uploads, u.id)
	h := req.w.Header()
	h.Set("x-oss-hash-crc64ecma", strconv.FormatUint(o.crc, 10))
	setSSEHeaders(h, o.sse, o.sseKeyID)
	enc := req.query.Get("encoding-type") == "url"
	res := completeResult{Location: "/" + b.name + "/" + u.key, Bucket: b.name, Key: u.key, ETag: etag}
	if enc {
		res.EncodingType = "url"
		res.Key = url.QueryEscape(u.key)
	}
	s.writeXML(req, 200, res)
	return nil
}

func (s *Server) abortUpload(req *request) *ossError {
	b, u, err := s.lockUpload(req)
	if err != nil {
		return err
	}
	delete(b.uploads, u.id)
	s.mu.Unlock()
	req.w.WriteHeader(204)
	return nil
}

type listPartsResult struct {
	XMLName              xml.Name `xml:"ListPartsResult"`
	EncodingType         string   `xml:"EncodingType,omitempty"`
	Bucket               string   `xml:"Bucket"`
	Key                  string   `xml:"Key"`
	UploadID             string   `xml:"UploadId"`
	PartNumberMarker     int      `xml:"PartNumberMarker"`
	NextPartNumberMarker int      `xml:"NextPartNumberMarker"`
	MaxParts             int      `xml:"MaxParts"`
	IsTruncated          bool     `xml:"IsTruncated"`
	Parts                []struct {
		PartNumber   int    `xml:"PartNumber"`
		LastModified string `xml:"LastModified"`
		ETag         string `xml:"ETag"`
		Size         int64  `xml:"Size"`
	} `xml:"Part"`
}

func (s *Server) listParts(req *request) *ossError {
	q := req.query
	max, err := maxKeys(q.Get("max-parts"), 1000)
	if err != nil {
		return err
	}
	marker := 0
	if v := q.Get("part-number-marker"); v != "" {
		if marker, _ = strconv.Atoi(v); marker < 0 {
			marker = 0
		}
	}
	_, u, err := s.lockUpload(req)
	if err != nil {
		return err
	}
	res := listPartsResult{Bucket: req.bucket, Key: u.key, UploadID: u.id, PartNumberMarker: marker, MaxParts: max}
	if q.Get("encoding-type") == "url" {
		res.EncodingType = "url"
		res.Key = url.QueryEscape(u.key)
	}
	for n := marker + 1; n <= maxPartNumber; n++ {
		p := u.parts[n]
		if p == nil {
			continue
		}
		if len(res.Parts) == max {
			res.IsTruncated = true
			break
		}
		res.Parts = append(res.Parts, struct {
			PartNumber   int    `xml:"PartNumber"`
			LastModified string `xml:"LastModified"`
			ETag         string `xml:"ETag"`
			Size         int64  `xml:"Size"`
		}{n, p.modTime.Format("2006-01-02T15:04:05.000Z"), p.etag, int64(len(p.data))})
		res.NextPartNumberMarker = n
	}
	s.mu.Unlock()
	s.writeXML(req, 200, res)
	return nil
}

type listUploadsResult struct {
	XMLName            xml.Name       `xml:"ListMultipartUploadsResult"`
	EncodingType       string         `xml:"EncodingType,omitempty"`
	Bucket             string         `xml:"Bucket"`
	KeyMarker          string         `xml:"KeyMarker"`
	UploadIDMarker     string         `xml:"UploadIdMarker"`
	NextKeyMarker      string         `xml:"NextKeyMarker"`
	NextUploadIDMarker string         `xml:"NextUploadIdMarker"`
	Delimiter          string         `xml:"Delimiter"`
	Prefix             string         `xml:"Prefix"`
	MaxUploads         int            `xml:"MaxUploads"`
	IsTruncated        bool           `xml:"IsTruncated"`
	Uploads            []uploadEntry  `xml:"Upload"`
	CommonPrefixes     []commonPrefix `xml:"CommonPrefixes"`
}

type uploadEntry struct {
	Key       string `xml:"Key"`
	UploadID  string `xml:"UploadId"`
	Initiated string `xml:"Initiated"`
}

func (s *Server) listUploads(req *request) *ossError {
	q := req.query
	max, err := maxKeys(q.Get("max-uploads"), 1000)
	if err != nil {
		return err
	}
	prefix, delim := q.Get("prefix"), q.Get("delimiter")
	keyMarker, idMarker := q.Get("key-marker"), q.Get("upload-id-marker")
	enc := q.Get("encoding-type") == "url"
	esc := func(s string) string {
		if enc {
			return url.QueryEscape(s)
		}
		return s
	}
	b, err := s.lockBucket(req)
	if err != nil {
		return err
	}
	ups := b.sortedUploads()
	s.mu.Unlock()
	res := listUploadsResult{Bucket: req.bucket, KeyMarker: esc(keyMarker), UploadIDMarker: idMarker,
		Delimiter: esc(delim), Prefix: esc(prefix), MaxUploads: max}
	if enc {
		res.EncodingType = "url"
	}
	lastCP := ""
	n := 0
	for i, u := range ups {
		if !strings.HasPrefix(u.key, prefix) {
			continue
		}
		if keyMarker != "" {
			if u.key < keyMarker || (u.key == keyMarker && (idMarker == "" || u.id <= idMarker)) {
				continue
			}
		}
		cp := ""
		if delim != "" {
			if j := strings.Index(u.key[len(prefix):], delim); j >= 0 {
				cp = u.key[:len(prefix)+j+len(delim)]
				if cp == lastCP {
					continue
				}
			}
		}
		if n == max {
			res.IsTruncated = true
			prev := ups[i-1]
			res.NextKeyMarker, res.NextUploadIDMarker = esc(prev.key), prev.id
			break
		}
		n++
		if cp != "" {
			lastCP = cp
			res.CommonPrefixes = append(res.CommonPrefixes, commonPrefix{esc(cp)})
			continue
		}
		res.Uploads = append(res.Uploads, uploadEntry{Key: esc(u.key), UploadID: u.id,
			Initiated: u.initiated.Format("2006-01-02T15:04:05.000Z")})
	}
	s.writeXML(req, 200, res)
	return nil
}
