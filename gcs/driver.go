package gcs

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"cloud.google.com/go/storage"
	"google.golang.org/api/option"
	htransport "google.golang.org/api/transport/http"

	"github.com/stowage/stowage/configmap"
	"github.com/stowage/stowage/driver"
	"github.com/stowage/stowage/internal/layout"
	"github.com/stowage/stowage/internal/objparts"
	"github.com/stowage/stowage/internal/onewrite"
	"github.com/stowage/stowage/internal/redact"
	"github.com/stowage/stowage/internal/retry"
)

// Name is the name the driver is registered under.
const Name = "gcs"

func init() { driver.Register(Name, configmap.Factory(Name, New)) }

// Driver is the gcs storage driver.
type Driver struct {
	client      *storage.Client
	bucket      *storage.BucketHandle
	bucketName  string
	layout      layout.Layout
	uploads     *objparts.Engine
	chunkSize   int
	concurrency int
	signer      *signer
	retries     *retry.Counter
}

// New returns a gcs driver, wrapped in driver.Base. p is decided by
// configmap.Prepare (a Params built in Go gets the declared defaults for the
// fields it leaves at their zero value); the key file, if any, is read; no
// request is sent. opts give the logger, the HTTP client (credentials are
// applied over its transport), the OpenTelemetry providers and a user agent.
func New(ctx context.Context, p Params, opts ...driver.Option) (driver.StorageDriver, error) {
	if err := configmap.Prepare(&p); err != nil {
		return nil, err
	}
	o := driver.NewOptions(opts...)
	credJSON, credType, err := p.credentials()
	if err != nil {
		param := "credentials"
		if p.KeyFile != "" {
			param = "keyfile"
		}
		return nil, &configmap.Error{Param: param, Msg: err.Error()}
	}
	counter := retry.NewCounter(Name, redact.Logger(o.Logger), o.MeterProvider)
	copts := []option.ClientOption{option.WithLogger(redact.Logger(o.Logger))}
	switch {
	case p.Anonymous:
		copts = append(copts, option.WithoutAuthentication())
	case credJSON != nil:
		copts = append(copts, option.WithAuthCredentialsJSON(option.CredentialsType(credType), credJSON))
	}
	if p.Endpoint != "" {
		copts = append(copts, option.WithEndpoint(p.Endpoint))
	}
	if ua := strings.TrimSpace(p.UserAgent + " " + o.UserAgent); ua != "" {
		copts = append(copts, option.WithUserAgent(ua))
	}
	// The transport: the given client's (or a pooled one), under
	// retry.Buffered (a short answer cut is an error the library retries),
	// retry.LostDeletes (a delete repeated after a lost answer succeeded),
	// and the credentials (a client given as is would skip them).
	base, timeout := http.RoundTripper(nil), time.Duration(0)
	if o.HTTPClient != nil {
		base, timeout = o.HTTPClient.Transport, o.HTTPClient.Timeout
	}
	if base == nil {
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.MaxIdleConnsPerHost = 100
		base = tr
	}
	base = &retry.Buffered{Next: base}
	base = &retry.LostDeletes{Next: base, Key: func(r *http.Request) string { return r.Header.Get("X-Goog-Gcs-Idempotency-Token") }}
	// The library cannot repeat a single-request upload (its body, read
	// from a pipe, has no GetBody): internal/retry repeats one of up to
	// replayLimit bytes from what was sent, and the driver sends a longer
	// one again from its own buffer (putOnce), so that a part is not
	// held twice. Every other request is left to the library's retries.
	base = &retry.Transport{Next: base, Policy: retryPolicy, ReplayLimit: replayLimit,
		Counter: counter, Idempotent: func(r *http.Request) bool {
			return r.Method == http.MethodPost && r.URL.Query().Get("uploadType") == "multipart"
		}}
	// Above the retries, a small body is read whole once (internal/onewrite):
	// it goes out with its headers, whatever reader the library hands it in,
	// and internal/retry sends it again from its GetBody.
	base = onewrite.Transport{Next: base}
	tr, err := htransport.NewTransport(ctx, base, copts...)
	if err != nil {
		return nil, fmt.Errorf("gcs: %w", err)
	}
	copts = append(copts, option.WithHTTPClient(&http.Client{Transport: tr, Timeout: timeout}))
	client, err := storage.NewClient(ctx, copts...)
	if err != nil {
		return nil, fmt.Errorf("gcs: %w", err)
	}
	client.SetRetry(retryOptions(counter)...)
	d := &Driver{
		client:      client,
		bucket:      client.Bucket(p.Bucket),
		bucketName:  p.Bucket,
		layout:      layout.New(p.RootDirectory),
		chunkSize:   int(p.ChunkSize),
		concurrency: p.MaxConcurrency,
		retries:     counter,
	}
	d.uploads = objparts.New(store{d}, d.layout, objparts.Config{
		ChunkSize:   int64(p.ChunkSize),
		Concurrency: p.MaxConcurrency,
		Parallel:    p.UploadConcurrency,
	})
	if credType == "service_account" {
		s, err := newSigner(credJSON, p.Endpoint)
		if err != nil {
			return nil, &configmap.Error{Param: "credentials", Msg: err.Error()}
		}
		d.signer = s
	}
	return driver.Wrap(d, opts...), nil
}

// Name implements driver.StorageDriver.
func (d *Driver) Name() string { return Name }

// Close releases the client's connections.
func (d *Driver) Close() error { return d.client.Close() }

func (d *Driver) key(p string) string { return d.layout.Key(p) }

// Bucket returns the handle of the bucket the driver stores in, on the
// driver's own storage client.
func (d *Driver) Bucket() *storage.BucketHandle { return d.bucket }

// ObjectKey returns the object name a path is stored at.
func (d *Driver) ObjectKey(path string) string { return d.key(path) }

// dirKey is the key prefix of everything under directory path p.
func (d *Driver) dirKey(p string) string { return d.layout.DirPrefix(p) }

func isNotExist(err error) bool {
	return errors.Is(err, storage.ErrObjectNotExist)
}

// GetContent implements driver.StorageDriver.
func (d *Driver) GetContent(ctx context.Context, path string) ([]byte, error) {
	r, err := d.bucket.Object(d.key(path)).NewReader(ctx)
	if err != nil {
		if isNotExist(err) {
			return nil, driver.PathNotFoundError{Path: path}
		}
		return nil, err
	}
	defer r.Close()
	return io.ReadAll(r)
}

// PutContent implements driver.StorageDriver.
func (d *Driver) PutContent(ctx context.Context, path string, content []byte) error {
	if len(content) < d.chunkSize {
		return d.putOnce(ctx, d.key(path), bytes.NewReader(content))
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	w := d.bucket.Object(d.key(path)).NewWriter(ctx)
	w.ContentType = contentType
	w.ChunkSize = d.chunkSize // a resumable upload, retried chunk by chunk by the library
	if _, err := w.Write(content); err != nil {
		cancel()
		_ = w.Close()
		return err
	}
	return w.Close()
}

// Reader implements driver.StorageDriver.
func (d *Driver) Reader(ctx context.Context, path string, offset int64) (io.ReadCloser, error) {
	obj := d.bucket.Object(d.key(path))
	r, err := obj.NewRangeReader(ctx, offset, -1)
	if err == nil {
		return r, nil
	}
	if isNotExist(err) {
		return nil, driver.PathNotFoundError{Path: path}
	}
	if offset > 0 {
		// A range starting at or past the end: tell the two apart.
		attrs, aerr := obj.Attrs(ctx)
		switch {
		case isNotExist(aerr):
			return nil, driver.PathNotFoundError{Path: path}
		case aerr != nil:
			return nil, err
		case offset == attrs.Size:
			return io.NopCloser(strings.NewReader("")), nil
		case offset > attrs.Size:
			return nil, driver.InvalidOffsetError{Path: path, Offset: offset}
		}
	}
	return nil, err
}

// Stat implements driver.StorageDriver.
func (d *Driver) Stat(ctx context.Context, path string) (driver.FileInfo, error) {
	if path == "/" {
		return driver.NewDirInfo(path), nil
	}
	attrs, err := d.bucket.Object(d.key(path)).Attrs(ctx)
	if err == nil {
		return driver.NewFileInfo(path, attrs.Size, attrs.Updated), nil
	}
	if !isNotExist(err) {
		return nil, err
	}
	q := &storage.Query{Prefix: d.dirKey(path)}
	_ = q.SetAttrSelection([]string{"Name"})
	if _, err := d.bucket.Objects(ctx, q).Next(); err == nil {
		return driver.NewDirInfo(path), nil
	} else if !isDone(err) {
		return nil, err
	}
	return nil, driver.PathNotFoundError{Path: path}
}

// List implements driver.StorageDriver.
func (d *Driver) List(ctx context.Context, path string) ([]string, error) {
	prefix := d.dirKey(path)
	q := &storage.Query{Prefix: prefix, Delimiter: "/"}
	_ = q.SetAttrSelection([]string{"Name"})
	it := d.bucket.Objects(ctx, q)
	out := []string{}
	for {
		attrs, err := it.Next()
		if err != nil {
			if isDone(err) {
				break
			}
			return nil, err
		}
		name := attrs.Name
		if attrs.Prefix != "" {
			name = strings.TrimSuffix(attrs.Prefix, "/")
		}
		if p, ok := d.layout.Path(name); ok && name != prefix && name+"/" != prefix {
			out = append(out, p)
		}
	}
	if len(out) == 0 && path != "/" {
		return nil, driver.PathNotFoundError{Path: path}
	}
	return out, nil
}

// signer holds what V4 signed URLs need.
type signer struct {
	email    string
	key      []byte
	hostname string
	insecure bool
}

func newSigner(credJSON []byte, endpoint string) (*signer, error) {
	var k keyFile
	if err := json.Unmarshal(credJSON, &k); err != nil {
		return nil, errors.New("not a JSON credentials file")
	}
	s := &signer{email: k.ClientEmail, key: []byte(k.PrivateKey)}
	if endpoint != "" {
		u, err := url.Parse(endpoint)
		if err != nil {
			return nil, err
		}
		s.hostname = u.Host
		s.insecure = u.Scheme == "http"
	}
	return s, nil
}
