package oss

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	alioss "github.com/aliyun/aliyun-oss-go-sdk/oss"

	"github.com/stowage/stowage/configmap"
	"github.com/stowage/stowage/driver"
	"github.com/stowage/stowage/internal/layout"
	"github.com/stowage/stowage/internal/multipart"
	"github.com/stowage/stowage/internal/redact"
	"github.com/stowage/stowage/internal/resume"
	"github.com/stowage/stowage/internal/retry"
	"github.com/stowage/stowage/internal/seen"
)

// Name is the name the driver is registered under.
const Name = "oss"

func init() { driver.Register(Name, configmap.Factory(Name, New)) }

// Driver is the oss storage driver.
type Driver struct {
	bucket        *alioss.Bucket
	layout        layout.Layout
	uploads       *multipart.Engine
	copyThreshold int64
	copyChunkSize int64
	// sse holds the encryption options of every write.
	sse     []alioss.Option
	retries *retry.Counter
	seen    *seen.Objects // what Move may copy without a HeadObject first
}

const contentType = "application/octet-stream"

// New returns an oss driver, wrapped in driver.Base. p is decided by
// configmap.Prepare (a Params built in Go gets the declared defaults for the
// fields it leaves at their zero value); no request is sent. opts give the
// HTTP client, the OpenTelemetry providers and a user agent.
func New(ctx context.Context, p Params, opts ...driver.Option) (driver.StorageDriver, error) {
	if err := configmap.Prepare(&p); err != nil {
		return nil, err
	}
	o := driver.NewOptions(opts...)
	endpoint, _ := p.endpointURL() // checked by Prepare
	clientOpts := []alioss.ClientOption{
		alioss.Region(strings.TrimPrefix(p.Region, "oss-")),
		alioss.UserAgent(strings.TrimSpace("stowage " + o.UserAgent)),
	}
	retries := retry.NewCounter(Name, redact.Logger(o.Logger, p.AccessKeySecret), o.MeterProvider)
	// Every request is retried (internal/retry); every upload carries the
	// CRC-64 the SDK checks against the server's (on by default, kept on).
	clientOpts = append(clientOpts, alioss.HTTPClient(httpClient(o, retries)), alioss.EnableCRC(true))
	client, err := alioss.New(endpoint, p.AccessKeyID, p.AccessKeySecret, clientOpts...)
	if err != nil {
		return nil, fmt.Errorf("oss: %w", err)
	}
	b, err := client.Bucket(p.Bucket)
	if err != nil {
		return nil, &configmap.Error{Param: "bucket", Msg: err.Error()}
	}
	d := &Driver{
		retries:       retries,
		bucket:        b,
		layout:        layout.New(p.RootDirectory),
		copyThreshold: int64(p.MultipartCopyThresholdSize),
		copyChunkSize: int64(p.MultipartCopyChunkSize),
		seen:          seen.New(seen.Capacity),
	}
	d.uploads = multipart.New(store{d}, d.layout, multipart.Config{
		ChunkSize:      int64(p.ChunkSize),
		MaxConcurrency: p.MaxConcurrency,
		MaxParts:       maxParts,
	})
	switch {
	case p.Encrypt && p.EncryptionKeyID != "":
		d.sse = []alioss.Option{alioss.ServerSideEncryption("KMS"), alioss.ServerSideEncryptionKeyID(p.EncryptionKeyID)}
	case p.Encrypt:
		d.sse = []alioss.Option{alioss.ServerSideEncryption("AES256")}
	}
	return driver.Wrap(d, opts...), nil
}

// Name implements driver.StorageDriver.
func (d *Driver) Name() string { return Name }

// key returns the object key of a path ("/" gives the root prefix).
func (d *Driver) key(path string) string { return d.layout.Key(path) }

// Bucket returns the SDK bucket the driver stores in, on the driver's own
// client (its transport, retries and credentials).
func (d *Driver) Bucket() *alioss.Bucket { return d.bucket }

// ObjectKey returns the object key a path is stored at.
func (d *Driver) ObjectKey(path string) string { return d.key(path) }

// dirPrefix returns the key prefix of everything under path.
func (d *Driver) dirPrefix(path string) string { return d.layout.DirPrefix(path) }

// path returns the driver path of a key under the root, or false when the
// key is not a valid path (such as upload state).
func (d *Driver) path(key string) (string, bool) { return d.layout.Path(key) }

// writeOpts returns the options of a write: the context and encryption.
func (d *Driver) writeOpts(ctx context.Context, extra ...alioss.Option) []alioss.Option {
	opts := make([]alioss.Option, 0, len(d.sse)+len(extra)+1)
	opts = append(opts, alioss.WithContext(ctx))
	opts = append(opts, d.sse...)
	return append(opts, extra...)
}

// isNotFound reports whether err is OSS's answer for a missing object (or
// upload). Authentication failures are not.
func isNotFound(err error) bool {
	var se alioss.ServiceError
	if errors.As(err, &se) {
		return se.StatusCode == http.StatusNotFound && se.Code != "NoSuchBucket"
	}
	return false
}

func errCode(err error) string {
	var se alioss.ServiceError
	if errors.As(err, &se) {
		return se.Code
	}
	return ""
}

// wrap wraps a provider error with the operation and key.
func wrap(op, key string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("oss %s %q: %w", op, key, err)
}

// GetContent implements driver.StorageDriver.
func (d *Driver) GetContent(ctx context.Context, path string) ([]byte, error) {
	rc, err := d.Reader(ctx, path, 0)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	data, err := io.ReadAll(rc)
	if err != nil {
		return nil, wrap("GetObject", d.key(path), err)
	}
	return data, nil
}

// PutContent implements driver.StorageDriver.
func (d *Driver) PutContent(ctx context.Context, path string, content []byte) error {
	return d.putSeen(ctx, d.key(path), bytes.NewReader(content), int64(len(content)))
}

// putSeen stores body (size bytes) as the object at key, in one PutObject,
// and remembers its size and ETag for a Move (not those of upload state,
// which no Move moves).
func (d *Driver) putSeen(ctx context.Context, key string, body io.ReadSeeker, size int64) error {
	var h http.Header
	err := d.sendAgain(ctx, "PutObject "+key, body, func() error {
		return d.bucket.PutObject(key, body, d.writeOpts(ctx, alioss.ContentLength(size), alioss.GetResponseHeader(&h))...)
	})
	if err != nil {
		return wrap("PutObject", key, err)
	}
	if !d.layout.Hidden(key) {
		d.seen.Saw(key, size, h.Get("ETag"))
	}
	return nil
}

// Reader implements driver.StorageDriver. A stream that breaks is
// reopened where it broke, on condition that the object is the one it
// started reading (internal/resume).
func (d *Driver) Reader(ctx context.Context, path string, offset int64) (io.ReadCloser, error) {
	key := d.key(path)
	res, err := d.getObject(ctx, key, offset, "")
	if err == nil {
		return d.resumable(ctx, key, offset, res), nil
	}
	switch {
	case isNotFound(err):
		return nil, driver.PathNotFoundError{Path: path}
	case errCode(err) == "InvalidRange":
		fi, serr := d.Stat(ctx, path)
		if serr != nil {
			return nil, serr
		}
		if fi.IsDir() {
			return nil, driver.PathNotFoundError{Path: path}
		}
		if offset == fi.Size() {
			return io.NopCloser(bytes.NewReader(nil)), nil
		}
		return nil, driver.InvalidOffsetError{Path: path, Offset: offset}
	}
	return nil, wrap("GetObject", key, err)
}

// getObject reads key from offset, on condition that its ETag is etag
// when one is given.
func (d *Driver) getObject(ctx context.Context, key string, offset int64, etag string) (*alioss.GetObjectResult, error) {
	opts := []alioss.Option{alioss.WithContext(ctx)}
	if offset > 0 {
		opts = append(opts, alioss.NormalizedRange(strconv.FormatInt(offset, 10)+"-"), alioss.RangeBehavior("standard"))
	}
	if etag != "" {
		opts = append(opts, alioss.IfMatch(etag))
	}
	return d.bucket.DoGetObject(&alioss.GetObjectRequest{ObjectKey: key}, opts)
}

// resumable returns the stream of res, reopened where it breaks, pinned to
// its ETag.
func (d *Driver) resumable(ctx context.Context, key string, offset int64, res *alioss.GetObjectResult) io.ReadCloser {
	h := res.Response.Headers
	end := int64(-1)
	if n, err := strconv.ParseInt(h.Get("Content-Length"), 10, 64); err == nil {
		end = offset + n
	}
	reopen := func(ctx context.Context, off int64, etag string) (io.ReadCloser, error) {
		res, err := d.getObject(ctx, key, off, etag)
		if err != nil {
			if isNotFound(err) || errCode(err) == "PreconditionFailed" {
				return nil, fmt.Errorf("%w: %w", resume.ErrChanged, err)
			}
			return nil, wrap("GetObject", key, err)
		}
		return res.Response.Body, nil
	}
	return resume.New(ctx, res.Response.Body, offset, end, h.Get("ETag"), reopen,
		resume.Options{Policy: retryPolicy, Counter: d.retries, Op: "GetObject " + key})
}

// Stat implements driver.StorageDriver.
func (d *Driver) Stat(ctx context.Context, path string) (driver.FileInfo, error) {
	if path != "/" {
		key := d.key(path)
		h, err := d.bucket.GetObjectDetailedMeta(key, alioss.WithContext(ctx))
		if err == nil {
			size, _ := strconv.ParseInt(h.Get("Content-Length"), 10, 64)
			mod, _ := http.ParseTime(h.Get("Last-Modified"))
			d.seen.Saw(key, size, h.Get("ETag"))
			return driver.NewFileInfo(path, size, mod), nil
		}
		if !isNotFound(err) {
			return nil, wrap("HeadObject", key, err)
		}
	}
	prefix := d.dirPrefix(path)
	res, err := d.bucket.ListObjectsV2(alioss.Prefix(prefix), alioss.MaxKeys(1), alioss.WithContext(ctx))
	if err != nil {
		return nil, wrap("ListObjectsV2", prefix, err)
	}
	if len(res.Objects) > 0 || len(res.CommonPrefixes) > 0 {
		return driver.NewDirInfo(path), nil
	}
	return nil, driver.PathNotFoundError{Path: path}
}

// List implements driver.StorageDriver.
func (d *Driver) List(ctx context.Context, path string) ([]string, error) {
	prefix := d.dirPrefix(path)
	var out []string
	token := ""
	for {
		opts := []alioss.Option{alioss.Prefix(prefix), alioss.Delimiter("/"), alioss.MaxKeys(1000), alioss.WithContext(ctx)}
		if token != "" {
			opts = append(opts, alioss.ContinuationToken(token))
		}
		res, err := d.bucket.ListObjectsV2(opts...)
		if err != nil {
			return nil, wrap("ListObjectsV2", prefix, err)
		}
		for _, o := range res.Objects {
			if p, ok := d.path(o.Key); ok {
				out = append(out, p)
			}
		}
		for _, cp := range res.CommonPrefixes {
			if p, ok := d.path(strings.TrimSuffix(cp, "/")); ok {
				out = append(out, p)
			}
		}
		if !res.IsTruncated || res.NextContinuationToken == "" {
			break
		}
		token = res.NextContinuationToken
	}
	if len(out) == 0 && path != "/" {
		return nil, driver.PathNotFoundError{Path: path}
	}
	return out, nil
}

// RedirectURL implements driver.StorageDriver: a signed GET or HEAD URL
// valid for 20 minutes.
func (d *Driver) RedirectURL(r *http.Request, path string) (string, error) {
	var method alioss.HTTPMethod
	switch r.Method {
	case http.MethodGet, "":
		method = alioss.HTTPGet
	case http.MethodHead:
		method = alioss.HTTPHead
	default:
		return "", nil
	}
	key := d.key(path)
	u, err := d.bucket.SignURL(key, method, int64(redirectExpiry/time.Second))
	return u, wrap("SignURL", key, err)
}

// redirectExpiry is how long redirect URLs are valid.
const redirectExpiry = 20 * time.Minute
