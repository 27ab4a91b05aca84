package osstest

import (
	"crypto/md5"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"hash/crc64"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
)

// Default credentials, used when Options leaves them empty.
const (
	DefaultAccessKeyID     = "osstest-access-key-id"
	DefaultAccessKeySecret = "osstest-access-key-secret"
)

// Options configures a Server.
type Options struct {
	// AccessKeyID and AccessKeySecret are the credentials the server
	// accepts. Empty means DefaultAccessKeyID and DefaultAccessKeySecret.
	// More pairs can be added with AddCredentials.
	AccessKeyID     string
	AccessKeySecret string

	// Buckets are created when the server starts.
	Buckets []string

	// Now is the server's clock, used to check request dates and the
	// expiry of presigned URLs. Nil means time.Now.
	Now func() time.Time

	// MaxCopySize is the largest object CopyObject copies in one request;
	// larger ones need UploadPartCopy. Zero means 1 GiB, as OSS.
	MaxCopySize int64

	// MinPartSize is the smallest size of a part other than the last one
	// that CompleteMultipartUpload accepts. Zero means 100 KiB, as OSS.
	MinPartSize int64
}

// Server is an in-process OSS server. Its methods are safe for concurrent
// use.
type Server struct {
	// URL is the base URL, such as http://127.0.0.1:34567; give it to the
	// SDK as the endpoint.
	URL string

	srv         *httptest.Server
	now         func() time.Time
	maxCopySize int64
	minPartSize int64

	mu      sync.Mutex
	creds   map[string]string
	buckets map[string]*bucket
}

type bucket struct {
	name    string
	created time.Time
	objects map[string]*object
	uploads map[string]*upload
}

type object struct {
	data        []byte
	etag        string
	modTime     time.Time
	contentType string
	sse         string
	sseKeyID    string
	objectType  string
	crc         uint64
}

type upload struct {
	id          string
	key         string
	initiated   time.Time
	contentType string
	sse         string
	sseKeyID    string
	parts       map[int]*part
}

type part struct {
	data    []byte
	etag    string
	modTime time.Time
}

// ObjectInfo describes a stored object, for tests that look behind the
// protocol.
type ObjectInfo struct {
	Key          string
	Size         int64
	ETag         string
	ContentType  string
	LastModified time.Time
	// ServerSideEncryption and ServerSideEncryptionKeyID are the values of
	// the x-oss-server-side-encryption headers the object was written with.
	ServerSideEncryption      string
	ServerSideEncryptionKeyID string
}

// UploadInfo describes a multipart upload in progress.
type UploadInfo struct {
	Key       string
	UploadID  string
	Initiated time.Time
	Parts     int
}

// NewServer starts a server. Close it when done (t.Cleanup(srv.Close)).
func NewServer(opts Options) *Server {
	s := &Server{
		now:         opts.Now,
		maxCopySize: opts.MaxCopySize,
		minPartSize: opts.MinPartSize,
		creds:       map[string]string{},
		buckets:     map[string]*bucket{},
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.maxCopySize <= 0 {
		s.maxCopySize = 1 << 30
	}
	if s.minPartSize <= 0 {
		s.minPartSize = 100 << 10
	}
	id, secret := opts.AccessKeyID, opts.AccessKeySecret
	if id == "" {
		id = DefaultAccessKeyID
	}
	if secret == "" {
		secret = DefaultAccessKeySecret
	}
	s.creds[id] = secret
	for _, b := range opts.Buckets {
		s.CreateBucket(b)
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	s.URL = s.srv.URL
	return s
}

// Close shuts the server down.
func (s *Server) Close() { s.srv.Close() }

// Endpoint is the server's address without the scheme, such as
// 127.0.0.1:34567.
func (s *Server) Endpoint() string { return strings.TrimPrefix(s.URL, "http://") }

// AddCredentials makes the server accept another access key pair.
func (s *Server) AddCredentials(accessKeyID, accessKeySecret string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.creds[accessKeyID] = accessKeySecret
}

// CreateBucket creates a bucket; it does nothing if the bucket exists.
func (s *Server) CreateBucket(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.createBucket(name)
}

func (s *Server) createBucket(name string) {
	if _, ok := s.buckets[name]; !ok {
		s.buckets[name] = &bucket{name: name, created: s.now(), objects: map[string]*object{}, uploads: map[string]*upload{}}
	}
}

// Object describes the object key in bucketName, if there is one.
func (s *Server) Object(bucketName, key string) (ObjectInfo, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.buckets[bucketName]
	if b == nil {
		return ObjectInfo{}, false
	}
	o := b.objects[key]
	if o == nil {
		return ObjectInfo{}, false
	}
	return ObjectInfo{
		Key: key, Size: int64(len(o.data)), ETag: o.etag, ContentType: o.contentType,
		LastModified: o.modTime, ServerSideEncryption: o.sse, ServerSideEncryptionKeyID: o.sseKeyID,
	}, true
}

// Keys returns the keys of bucketName's objects, sorted.
func (s *Server) Keys(bucketName string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.buckets[bucketName]
	if b == nil {
		return nil
	}
	return b.sortedKeys()
}

// Uploads lists the multipart uploads in progress in bucketName, sorted by
// key and initiation.
func (s *Server) Uploads(bucketName string) []UploadInfo {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.buckets[bucketName]
	if b == nil {
		return nil
	}
	var out []UploadInfo
	for _, u := range b.sortedUploads() {
		out = append(out, UploadInfo{Key: u.key, UploadID: u.id, Initiated: u.initiated, Parts: len(u.parts)})
	}
	return out
}

func (b *bucket) sortedKeys() []string {
	keys := make([]string, 0, len(b.objects))
	for k := range b.objects {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func (b *bucket) sortedUploads() []*upload {
	ups := make([]*upload, 0, len(b.uploads))
	for _, u := range b.uploads {
		ups = append(ups, u)
	}
	slices.SortFunc(ups, func(x, y *upload) int {
		if c := strings.Compare(x.key, y.key); c != 0 {
			return c
		}
		if c := x.initiated.Compare(y.initiated); c != 0 {
			return c
		}
		return strings.Compare(x.id, y.id)
	})
	return ups
}

// ossError is OSS's XML error document.
type ossError struct {
	XMLName      xml.Name `xml:"Error"`
	Code         string   `xml:"Code"`
	Message      string   `xml:"Message"`
	RequestID    string   `xml:"RequestId"`
	HostID       string   `xml:"HostId"`
	Key          string   `xml:"Key,omitempty"`
	BucketName   string   `xml:"BucketName,omitempty"`
	UploadID     string   `xml:"UploadId,omitempty"`
	AccessKeyID  string   `xml:"OSSAccessKeyId,omitempty"`
	StringToSign string   `xml:"StringToSign,omitempty"`
	status       int
}

func (e *ossError) Error() string { return e.Code + ": " + e.Message }

func errorf(status int, code, format string, args ...any) *ossError {
	return &ossError{status: status, Code: code, Message: fmt.Sprintf(format, args...)}
}

func newRequestID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return strings.ToUpper(hex.EncodeToString(b[:]))
}

// request is one parsed request.
type request struct {
	r       *http.Request
	w       http.ResponseWriter
	id      string
	bucket  string
	key     string
	query   url.Values
	hasKey  bool
	headers http.Header
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	req := &request{r: r, w: w, id: newRequestID(), query: r.URL.Query(), headers: r.Header}
	w.Header().Set("x-oss-request-id", req.id)
	w.Header().Set("Server", "osstest")
	if err := s.route(req); err != nil {
		s.writeError(req, err)
	}
}

func (s *Server) writeError(req *request, err *ossError) {
	err.RequestID = req.id
	err.HostID = req.r.Host
	body, _ := xml.Marshal(err)
	body = append([]byte(xml.Header), body...)
	h := req.w.Header()
	h.Set("Content-Type", "application/xml")
	h.Set("x-oss-ec", "0000-00000000")
	if req.r.Method == http.MethodHead {
		h.Set("x-oss-err", base64.StdEncoding.EncodeToString(body))
		req.w.WriteHeader(err.status)
		return
	}
	h.Set("Content-Length", fmt.Sprint(len(body)))
	req.w.WriteHeader(err.status)
	_, _ = req.w.Write(body)
}

func (s *Server) writeXML(req *request, status int, v any) {
	body, err := xml.Marshal(v)
	if err != nil {
		s.writeError(req, errorf(500, "InternalError", "%v", err))
		return
	}
	body = append([]byte(xml.Header), body...)
	req.w.Header().Set("Content-Type", "application/xml")
	req.w.Header().Set("Content-Length", fmt.Sprint(len(body)))
	req.w.WriteHeader(status)
	_, _ = req.w.Write(body)
}

// parseTarget finds the bucket and key, path-style or virtual-hosted.
func (s *Server) parseTarget(req *request) *ossError {
	raw := req.r.URL.EscapedPath()
	host := req.r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	if net.ParseIP(host) == nil {
		if i := strings.IndexByte(host, '.'); i > 0 {
			s.mu.Lock()
			_, known := s.buckets[host[:i]]
			s.mu.Unlock()
			if known {
				req.bucket = host[:i]
				key, err := url.PathUnescape(strings.TrimPrefix(raw, "/"))
				if err != nil {
					return errorf(400, "InvalidURI", "bad object name: %v", err)
				}
				req.key, req.hasKey = key, key != ""
				return nil
			}
		}
	}
	raw = strings.TrimPrefix(raw, "/")
	if raw == "" {
		return nil
	}
	b, k, _ := strings.Cut(raw, "/")
	var err error
	if req.bucket, err = url.PathUnescape(b); err != nil {
		return errorf(400, "InvalidURI", "bad bucket name: %v", err)
	}
	if req.key, err = url.PathUnescape(k); err != nil {
		return errorf(400, "InvalidURI", "bad object name: %v", err)
	}
	req.hasKey = req.key != ""
	return nil
}

func (s *Server) route(req *request) *ossError {
	if err := s.parseTarget(req); err != nil {
		return err
	}
	if err := s.authenticate(req); err != nil {
		return err
	}
	if err := checkSSE(req.headers); err != nil {
		return err
	}
	if req.bucket == "" {
		return errorf(403, "AccessDenied", "listing buckets is not supported by osstest")
	}
	q := req.query
	m := req.r.Method
	if !req.hasKey {
		if m == http.MethodPut && len(q) == 0 {
			s.mu.Lock()
			s.createBucket(req.bucket)
			s.mu.Unlock()
			req.w.WriteHeader(200)
			return nil
		}
		s.mu.Lock()
		_, ok := s.buckets[req.bucket]
		s.mu.Unlock()
		if !ok {
			return noSuchBucket(req.bucket)
		}
		switch {
		case m == http.MethodPost && q.Has("delete"):
			return s.deleteMultiple(req)
		case m == http.MethodGet && q.Has("uploads"):
			return s.listUploads(req)
		case m == http.MethodGet:
			return s.listObjects(req)
		}
		return errorf(405, "MethodNotAllowed", "osstest does not support %s on a bucket with %q", m, req.r.URL.RawQuery)
	}
	if len(req.key) > 1023 {
		return errorf(400, "InvalidObjectName", "object name is longer than 1023 bytes")
	}
	switch {
	case m == http.MethodPost && q.Has("uploads"):
		return s.initiateUpload(req)
	case m == http.MethodPost && q.Has("uploadId"):
		return s.completeUpload(req)
	case m == http.MethodPut && q.Has("uploadId") && req.headers.Get("x-oss-copy-source") != "":
		return s.uploadPartCopy(req)
	case m == http.MethodPut && q.Has("uploadId"):
		return s.uploadPart(req)
	case m == http.MethodDelete && q.Has("uploadId"):
		return s.abortUpload(req)
	case m == http.MethodGet && q.Has("uploadId"):
		return s.listParts(req)
	case m == http.MethodPut && req.headers.Get("x-oss-copy-source") != "":
		return s.copyObject(req)
	case m == http.MethodPut:
		return s.putObject(req)
	case m == http.MethodGet:
		return s.getObject(req, false)
	case m == http.MethodHead:
		return s.getObject(req, true)
	case m == http.MethodDelete:
		return s.deleteObject(req)
	}
	return errorf(405, "MethodNotAllowed", "osstest does not support %s on an object with %q", m, req.r.URL.RawQuery)
}

func noSuchBucket(name string) *ossError {
	e := errorf(404, "NoSuchBucket", "The specified bucket does not exist.")
	e.BucketName = name
	return e
}

func noSuchKey(key string) *ossError {
	e := errorf(404, "NoSuchKey", "The specified key does not exist.")
	e.Key = key
	return e
}

// lockBucket locks the server and returns the request's bucket; the caller
// unlocks s.mu.
func (s *Server) lockBucket(req *request) (*bucket, *ossError) {
	s.mu.Lock()
	b := s.buckets[req.bucket]
	if b == nil {
		s.mu.Unlock()
		return nil, noSuchBucket(req.bucket)
	}
	return b, nil
}

func checkSSE(h http.Header) *ossError {
	sse := h.Get("x-oss-server-side-encryption")
	keyID := h.Get("x-oss-server-side-encryption-key-id")
	switch sse {
	case "", "AES256", "KMS", "SM4":
	default:
		return errorf(400, "InvalidEncryptionAlgorithmError", "The Encryption request you specified is not valid. Supported value: AES256/KMS/SM4")
	}
	if keyID != "" && sse != "KMS" {
		return errorf(400, "InvalidArgument", "x-oss-server-side-encryption-key-id is only allowed with x-oss-server-side-encryption: KMS")
	}
	return nil
}

func etagOf(data []byte) string {
	sum := md5.Sum(data)
	return `"` + strings.ToUpper(hex.EncodeToString(sum[:])) + `"`
}

var crcTable = crc64.MakeTable(crc64.ECMA)

func (s *Server) stamp() time.Time { return s.now().UTC().Truncate(time.Second) }
