package s3

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

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
const Name = "s3"

func init() { driver.Register(Name, configmap.Factory(Name, New)) }

// WithHTTPClient is driver.WithHTTPClient, kept for callers of an earlier
// version.
func WithHTTPClient(c *http.Client) driver.Option { return driver.WithHTTPClient(c) }

// Driver is the s3 storage driver. New returns it wrapped in driver.Base.
type Driver struct {
	p       Params
	client  *s3.Client
	presign *s3.PresignClient
	bucket  *string
	layout  layout.Layout
	uploads *multipart.Engine
	retries *retry.Counter
	seen    *seen.Objects // what Move may copy without a HeadObject first
}

var (
	_ driver.StorageDriver = (*Driver)(nil)
	_ driver.UploadPurger  = (*Driver)(nil)
	_ driver.Preflighter   = (*Driver)(nil)
)

// New returns an s3 driver for p, wrapped in driver.Base. p is decided by
// configmap.Prepare: a Params built in Go gets the declared defaults for
// the fields it leaves at their zero value (start from
// configmap.Defaults[s3.Params]() to set a parameter whose default is true,
// such as v4auth, to false). New sends no request: credentials from the
// default chain are fetched on the first one. opts give the logger (the
// SDK's log lines at the verbosity of loglevel), the HTTP client, the
// OpenTelemetry providers and a user agent.
func New(ctx context.Context, p Params, opts ...driver.Option) (driver.StorageDriver, error) {
	d, err := newDriver(ctx, p, opts...)
	if err != nil {
		return nil, err
	}
	return driver.Wrap(d, opts...), nil
}

func newDriver(ctx context.Context, p Params, opts ...driver.Option) (*Driver, error) {
	if err := configmap.Prepare(&p); err != nil {
		return nil, err
	}
	o := driver.NewOptions(opts...)
	for _, w := range p.Warnings() {
		o.Logger.Warn("s3: " + w)
	}
	cfg, err := loadConfig(ctx, p, o)
	if err != nil {
		return nil, err
	}
	d := &Driver{
		p:       p,
		bucket:  aws.String(p.Bucket),
		layout:  layout.New(p.RootDirectory),
		retries: retry.NewCounter(Name, redact.Logger(o.Logger, p.SecretKey, p.SessionToken), o.MeterProvider),
		seen:    seen.New(seen.Capacity),
	}
	endpoint, _ := p.endpoint() // checked by Prepare
	retryer := newRetryer(d.retries)
	d.client = s3.NewFromConfig(cfg, clientOptions(p, o, endpoint, !p.V4Auth), func(so *s3.Options) { so.Retryer = retryer })
	presignEndpoint := endpoint
	if p.RedirectEndpoint != "" {
		presignEndpoint = strings.TrimSuffix(p.RedirectEndpoint, "/")
	}
	var presignOpts []func(*s3.PresignOptions)
	if !p.V4Auth {
		presignOpts = append(presignOpts, func(po *s3.PresignOptions) { po.Presigner = presignerV2{bucket: p.Bucket} })
	}
	d.presign = s3.NewPresignClient(s3.NewFromConfig(cfg, clientOptions(p, o, presignEndpoint, false)), presignOpts...)
	d.uploads = multipart.New(store{d}, d.layout, multipart.Config{
		ChunkSize:      int64(p.ChunkSize),
		MaxConcurrency: p.MaxConcurrency,
		MaxParts:       maxParts,
		Fail:           func(_ string, err error) error { return explain(err) },
	})
	return d, nil
}

// Name implements driver.StorageDriver.
func (d *Driver) Name() string { return Name }

// Client returns the SDK client the driver uses.
func (d *Driver) Client() *s3.Client { return d.client }

// key returns the object key of a path ("/" is the root prefix).
func (d *Driver) key(path string) string { return d.layout.Key(path) }

// S3BucketKey returns the object key of path in the bucket, as
// distribution's s3 driver does: its cloudfront middleware signs URLs of
// that key.
func (d *Driver) S3BucketKey(path string) string { return d.key(path) }

// Bucket returns the name of the bucket the driver stores in.
func (d *Driver) Bucket() string { return *d.bucket }

// ObjectKey returns the object key a path is stored at (the same as
// S3BucketKey; every adapter has ObjectKey).
func (d *Driver) ObjectKey(path string) string { return d.key(path) }

// dirKey returns the key prefix of the entries under path.
func (d *Driver) dirKey(path string) string { return d.layout.DirPrefix(path) }

// GetContent implements driver.StorageDriver, with the resumable Reader.
func (d *Driver) GetContent(ctx context.Context, path string) ([]byte, error) {
	rc, size, err := d.open(ctx, path, 0)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	buf := bytes.NewBuffer(make([]byte, 0, max(size, 0)+bytes.MinRead))
	if _, err := buf.ReadFrom(rc); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// PutContent implements driver.StorageDriver.
func (d *Driver) PutContent(ctx context.Context, path string, content []byte) error {
	return d.fail(path, d.putSeen(ctx, d.key(path), bytes.NewReader(content), int64(len(content))))
}

// putSeen is put of an object a Move may move next: its size and ETag are
// remembered (not those of upload state, which no Move moves).
func (d *Driver) putSeen(ctx context.Context, key string, body io.ReadSeeker, size int64) error {
	etag, err := d.put(ctx, key, body, size)
	if err == nil && !d.layout.Hidden(key) {
		d.seen.Saw(key, size, etag)
	}
	return err
}

// put stores body as the object at key with the driver's encryption,
// storage class and ACL, and returns its ETag.
func (d *Driver) put(ctx context.Context, key string, body io.ReadSeeker, size int64, opts ...func(*s3.PutObjectInput)) (string, error) {
	sum, err := d.contentMD5(body)
	if err != nil {
		return "", err
	}
	in := &s3.PutObjectInput{
		Bucket:        d.bucket,
		Key:           aws.String(key),
		Body:          body,
		ContentLength: aws.Int64(size),
		ContentType:   aws.String(contentType),
		ContentMD5:    sum,
	}
	in.ServerSideEncryption, in.SSEKMSKeyId = d.sse()
	in.StorageClass = d.storageClass()
	in.ACL = d.acl()
	for _, o := range opts {
		o(in)
	}
	out, err := d.client.PutObject(ctx, in)
	if err != nil {
		return "", err
	}
	return aws.ToString(out.ETag), nil
}

const contentType = "application/octet-stream"

func (d *Driver) sse() (types.ServerSideEncryption, *string) {
	switch {
	case !d.p.Encrypt:
		return "", nil
	case d.p.KeyID != "":
		return types.ServerSideEncryptionAwsKms, aws.String(d.p.KeyID)
	default:
		return types.ServerSideEncryptionAes256, nil
	}
}

func (d *Driver) storageClass() types.StorageClass {
	if d.p.StorageClass == "NONE" {
		return ""
	}
	return types.StorageClass(d.p.StorageClass)
}

func (d *Driver) acl() types.ObjectCannedACL { return types.ObjectCannedACL(d.p.ObjectACL) }

// Reader implements driver.StorageDriver. A stream that breaks is
// reopened where it broke, on condition that the object is the one it
// started reading (internal/resume).
func (d *Driver) Reader(ctx context.Context, path string, offset int64) (io.ReadCloser, error) {
	rc, _, err := d.open(ctx, path, offset)
	return rc, err
}

// open returns the resumable stream of path from offset and the number
// of bytes in it.
func (d *Driver) open(ctx context.Context, path string, offset int64) (io.ReadCloser, int64, error) {
	key := d.key(path)
	out, err := d.getObject(ctx, key, offset, "")
	if err == nil {
		size := aws.ToInt64(out.ContentLength)
		return resume.New(ctx, out.Body, offset, offset+size, aws.ToString(out.ETag), d.reopen(key),
			resume.Options{Policy: retryPolicy, Counter: d.retries, Op: "GetObject " + path}), size, nil
	}
	if offset > 0 && apiCode(err) == "InvalidRange" {
		fi, serr := d.Stat(ctx, path)
		switch {
		case serr != nil:
			return nil, 0, serr
		case fi.IsDir():
			return nil, 0, driver.PathNotFoundError{Path: path}
		case fi.Size() == offset:
			return io.NopCloser(bytes.NewReader(nil)), 0, nil
		default:
			return nil, 0, driver.InvalidOffsetError{Path: path, Offset: offset}
		}
	}
	return nil, 0, d.fail(path, err)
}

// getObject reads key from offset, on condition that its ETag is etag
// when one is given.
func (d *Driver) getObject(ctx context.Context, key string, offset int64, etag string) (*s3.GetObjectOutput, error) {
	in := &s3.GetObjectInput{Bucket: d.bucket, Key: aws.String(key)}
	if offset > 0 {
		in.Range = aws.String(fmt.Sprintf("bytes=%d-", offset))
	}
	if etag != "" {
		in.IfMatch = aws.String(etag)
	}
	return d.client.GetObject(ctx, in)
}

// reopen reopens key where a stream broke, pinned to its ETag.
func (d *Driver) reopen(key string) resume.Open {
	return func(ctx context.Context, off int64, etag string) (io.ReadCloser, error) {
		out, err := d.getObject(ctx, key, off, etag)
		if err != nil {
			if isNotFound(err) || apiCode(err) == "PreconditionFailed" || httpStatus(err) == http.StatusPreconditionFailed {
				return nil, fmt.Errorf("%w: %w", resume.ErrChanged, err)
			}
			return nil, explain(err)
		}
		return out.Body, nil
	}
}

// Stat implements driver.StorageDriver.
func (d *Driver) Stat(ctx context.Context, path string) (driver.FileInfo, error) {
	if path != "/" {
		out, err := d.client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: d.bucket, Key: aws.String(d.key(path))})
		if err == nil {
			d.seen.Saw(d.key(path), aws.ToInt64(out.ContentLength), aws.ToString(out.ETag))
			return driver.NewFileInfo(path, aws.ToInt64(out.ContentLength), aws.ToTime(out.LastModified)), nil
		}
		if !isNotFound(err) {
			return nil, d.fail(path, d.headCause(ctx, d.key(path), err))
		}
	}
	out, err := d.client.ListObjectsV2(ctx, &s3.ListObjectsV2Input{
		Bucket: d.bucket, Prefix: aws.String(d.dirKey(path)), MaxKeys: aws.Int32(2),
	})
	if err != nil {
		return nil, d.fail(path, err)
	}
	for _, o := range out.Contents {
		if !d.layout.Hidden(aws.ToString(o.Key)) {
			return driver.NewDirInfo(path), nil
		}
	}
	if path == "/" {
		return driver.NewDirInfo(path), nil
	}
	return nil, driver.PathNotFoundError{Path: path}
}

// List implements driver.StorageDriver.
func (d *Driver) List(ctx context.Context, path string) ([]string, error) {
	prefix := d.dirKey(path)
	var out []string
	p := s3.NewListObjectsV2Paginator(d.client, &s3.ListObjectsV2Input{
		Bucket: d.bucket, Prefix: aws.String(prefix), Delimiter: aws.String("/"),
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, d.fail(path, err)
		}
		for _, o := range page.Contents {
			if p, ok := d.layout.Path(aws.ToString(o.Key)); ok && aws.ToString(o.Key) != prefix {
				out = append(out, p)
			}
		}
		for _, cp := range page.CommonPrefixes {
			if p, ok := d.layout.Path(aws.ToString(cp.Prefix)); ok {
				out = append(out, p)
			}
		}
	}
	if len(out) == 0 && path != "/" {
		return nil, driver.PathNotFoundError{Path: path}
	}
	return out, nil
}

// headCause finds the cause of a HEAD refused with 403: a HEAD answer
// has no error document, so it cannot tell rejected credentials from a
// missing permission. A one-byte GET of the key, whose answer has one,
// says which.
func (d *Driver) headCause(ctx context.Context, key string, err error) error {
	if httpStatus(err) != http.StatusForbidden {
		return err
	}
	_, gerr := d.client.GetObject(ctx, &s3.GetObjectInput{Bucket: d.bucket, Key: aws.String(key), Range: aws.String("bytes=0-0")})
	if _, ok := credentialCodes[apiCode(gerr)]; ok {
		return gerr
	}
	return err
}

// fail turns an SDK error into a driver error: not found becomes
// PathNotFoundError, access denied names the IAM action.
func (d *Driver) fail(path string, err error) error {
	if err == nil {
		return nil
	}
	if isNotFound(err) {
		return driver.PathNotFoundError{Path: path}
	}
	return explain(err)
}

// now is time.Now, in one place.
func now() time.Time { return time.Now() }
