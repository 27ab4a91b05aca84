package swift

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	ncw "github.com/ncw/swift/v2"

	"github.com/stowage/stowage/configmap"
	"github.com/stowage/stowage/driver"
	"github.com/stowage/stowage/internal/inflight"
	"github.com/stowage/stowage/internal/layout"
	"github.com/stowage/stowage/internal/redact"
	"github.com/stowage/stowage/internal/resume"
	"github.com/stowage/stowage/internal/retry"
	"github.com/stowage/stowage/internal/seen"
)

const Name = "swift"

const contentType = "application/octet-stream"

func init() { driver.Register(Name, configmap.Factory(Name, New)) }

// Driver is the adapter. Objects live in container under the key
// layout of internal/layout (prefix/path[1:]); the state of uploads in
// progress (a marker per upload) under the root's "~uploads/", and the
// segments of large objects, uploaded or committed, under its "~segments/":
// "~" is not a path character, so no path maps there, and listings of the
// root end before "~". Keeping segments in the container lets
// container-scoped Temp-URL keys serve large objects (Swift only lets them
// reach segments in the same container).
type Driver struct {
	conn         *ncw.Connection
	container    string
	segContainer string // where segments live: the container itself
	layout       layout.Layout
	chunkSize    int64
	concurrency  int               // segment uploads in flight per writer
	bufs         *inflight.Buffers // segment buffers, of cap chunkSize
	features     features
	secretKey    string
	accessKey    string
	methods      []string
	retries      *retry.Counter
	seen         *seen.Objects  // plain objects Move may copy without a lookup
	absent       *seen.Absences // keys Stat lately found empty
}

// features is what the cluster's /info advertises.
type features struct {
	slo         bool
	maxSegments int
	bulkDelete  bool
	maxDeletes  int
	tempURL     bool
	digest      string // digest used for temporary URL signatures
}

// New authenticates, creates the container when missing, reads the
// cluster's /info and, when secretkey is set, installs it as the account's
// (or container's) Temp-URL key. p is decided by configmap.Prepare (a
// Params built in Go gets the declared defaults for the fields it leaves at
// their zero value) before any request. opts give the HTTP client, the
// OpenTelemetry providers of Base and a user agent.
func New(ctx context.Context, p Params, opts ...driver.Option) (driver.StorageDriver, error) {
	if err := configmap.Prepare(&p); err != nil {
		return nil, err
	}
	o := driver.NewOptions(opts...)
	retries := retry.NewCounter(Name, redact.Logger(o.Logger, p.Password, p.SecretKey), o.MeterProvider)
	conn := connection(p, o, retries)
	if err := conn.Authenticate(ctx); err != nil {
		return nil, fmt.Errorf("swift: authenticating as %q at %s: %w", p.Username, p.AuthURL, classify(err))
	}
	d := &Driver{
		conn:         conn,
		container:    p.Container,
		segContainer: p.Container,
		chunkSize:    int64(p.ChunkSize),
		concurrency:  p.MaxConcurrency,
		bufs:         inflight.NewBuffers(int64(p.ChunkSize)),
		accessKey:    p.AccessKey,
		methods:      p.tempURLMethods(),
		retries:      retries,
		seen:         seen.New(seen.Capacity),
		absent:       seen.NewAbsences(seen.Capacity),
	}
	d.layout = layout.New(p.Prefix)
	if err := d.ensureContainer(ctx, d.container); err != nil {
		return nil, err
	}
	d.features = queryFeatures(ctx, conn)
	if err := d.setupTempURL(ctx, p); err != nil {
		return nil, err
	}
	return driver.Wrap(d, opts...), nil
}

// connection returns the (not yet authenticated) Swift connection of p,
// its requests retried and its uploads checksummed (see transport).
func connection(p Params, o driver.Options, retries *retry.Counter) *ncw.Connection {
	var base http.RoundTripper
	if o.HTTPClient != nil {
		base = o.HTTPClient.Transport
		if base == nil {
			base = http.DefaultTransport
		}
	} else {
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.MaxIdleConnsPerHost = 64
		if p.InsecureSkipVerify {
			tr.TLSClientConfig = &tls.Config{InsecureSkipVerify: true} //nolint:gosec // asked for by insecureskipverify
		}
		base = tr
	}
	return &ncw.Connection{
		UserName:       p.Username,
		ApiKey:         p.Password,
		AuthUrl:        p.AuthURL,
		Region:         p.Region,
		AuthVersion:    p.AuthVersion,
		Tenant:         p.Tenant,
		TenantId:       p.TenantID,
		Domain:         p.Domain,
		DomainId:       p.DomainID,
		TenantDomain:   p.TenantDomain,
		TenantDomainId: p.TenantDomainID,
		TrustId:        p.TrustID,
		EndpointType:   ncw.EndpointType(p.EndpointType),
		Transport:      transport(base, retries),
		UserAgent:      strings.TrimSpace("stowage " + o.UserAgent),
		ConnectTimeout: 30 * time.Second,
		Timeout:        5 * time.Minute,
	}
}

func (d *Driver) ensureContainer(ctx context.Context, name string) error {
	_, _, err := d.conn.Container(ctx, name)
	if errors.Is(err, ncw.ContainerNotFound) {
		err = d.conn.ContainerCreate(ctx, name, nil)
		if err != nil {
			return fmt.Errorf("swift: creating container %q: %w", name, classify(err))
		}
		return nil
	}
	if err != nil {
		return fmt.Errorf("swift: container %q: %w", name, classify(err))
	}
	return nil
}

// queryFeatures reads /info. A cluster that hides /info is taken to have
// none of the optional middleware but tempurl (which cannot be probed
// without a key): DLO manifests and one DELETE per object.
func queryFeatures(ctx context.Context, conn *ncw.Connection) features {
	f := features{tempURL: true, digest: "sha256", maxSegments: 1000, maxDeletes: 1000}
	info, err := conn.QueryInfo(ctx)
	if err != nil {
		return f
	}
	if slo, ok := info["slo"].(map[string]any); ok {
		f.slo = true
		if n, ok := slo["max_manifest_segments"].(float64); ok && n > 0 {
			f.maxSegments = int(n)
		}
	}
	if bd, ok := info["bulk_delete"].(map[string]any); ok {
		f.bulkDelete = true
		if n, ok := bd["max_deletes_per_request"].(float64); ok && n > 0 {
			f.maxDeletes = int(n)
		}
	}
	tu, ok := info["tempurl"].(map[string]any)
	f.tempURL = ok
	if ok {
		if digests, ok := tu["allowed_digests"].([]any); ok && len(digests) > 0 {
			f.digest = ""
			for _, want := range []string{"sha256", "sha512", "sha1"} {
				for _, g := range digests {
					if g == want && f.digest == "" {
						f.digest = want
					}
				}
			}
		}
	}
	return f
}

// key is the object name of a path (not "/").
func (d *Driver) key(path string) string { return d.layout.Key(path) }

// Connection returns the SDK connection the driver uses (authenticated,
// with the driver's transport).
func (d *Driver) Connection() *ncw.Connection { return d.conn }

// Container returns the name of the container the driver stores in.
func (d *Driver) Container() string { return d.container }

// ObjectKey returns the object name a path is stored at.
func (d *Driver) ObjectKey(path string) string { return d.key(path) }

// dirPrefix is the prefix of every object under the directory path.
func (d *Driver) dirPrefix(path string) string { return d.layout.DirPrefix(path) }

// endMarker ends listings of the root before its hidden areas (~uploads,
// ~segments), which sort after every path.
func (d *Driver) endMarker(prefix string) string {
	if prefix == d.layout.Root() {
		return prefix + "~"
	}
	return ""
}

// Name implements driver.StorageDriver.
func (d *Driver) Name() string { return Name }

// GetContent implements driver.StorageDriver, with the resumable Reader.
func (d *Driver) GetContent(ctx context.Context, path string) ([]byte, error) {
	rc, err := d.Reader(ctx, path, 0)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

// PutContent implements driver.StorageDriver.
func (d *Driver) PutContent(ctx context.Context, path string, content []byte) error {
	key := d.key(path)
	d.writing(key)
	h, err := d.conn.ObjectPut(ctx, d.container, key, bytes.NewReader(content), false, "", contentType,
		ncw.Headers{"Content-Length": strconv.Itoa(len(content))})
	if err != nil {
		return fail(path, err)
	}
	d.seen.Saw(key, int64(len(content)), h["Etag"])
	return nil
}

// Reader implements driver.StorageDriver. A stream that breaks is
// reopened where it broke, on condition that the object is the one it
// started reading (internal/resume).
func (d *Driver) Reader(ctx context.Context, path string, offset int64) (io.ReadCloser, error) {
	key := d.key(path)
	f, h, err := d.objectOpen(ctx, key, offset, "")
	if err == nil {
		end := int64(-1)
		if n, err := strconv.ParseInt(h["Content-Length"], 10, 64); err == nil {
			end = offset + n
		}
		reopen := func(ctx context.Context, off int64, etag string) (io.ReadCloser, error) {
			f, _, err := d.objectOpen(ctx, key, off, etag)
			if err != nil {
				if isNotFound(err) || statusOf(err) == http.StatusPreconditionFailed {
					return nil, fmt.Errorf("%w: %w", resume.ErrChanged, err)
				}
				return nil, err
			}
			return f, nil
		}
		return resume.New(ctx, f, offset, end, h["Etag"], reopen,
			resume.Options{Policy: retryPolicy, Counter: d.retries, Op: "GET " + path}), nil
	}
	if statusOf(err) != http.StatusRequestedRangeNotSatisfiable {
		return nil, fail(path, err)
	}
	info, _, err := d.conn.Object(ctx, d.container, d.key(path))
	if err != nil {
		return nil, fail(path, err)
	}
	if offset == info.Bytes {
		return io.NopCloser(bytes.NewReader(nil)), nil
	}
	return nil, driver.InvalidOffsetError{Path: path, Offset: offset}
}

// objectOpen opens key from offset, on condition that its ETag is etag
// when one is given.
func (d *Driver) objectOpen(ctx context.Context, key string, offset int64, etag string) (*ncw.ObjectOpenFile, ncw.Headers, error) {
	h := ncw.Headers{}
	if offset > 0 {
		h["Range"] = "bytes=" + strconv.FormatInt(offset, 10) + "-"
	}
	if etag != "" {
		h["If-Match"] = etag
	}
	return d.conn.ObjectOpen(ctx, d.container, key, false, h)
}

// Stat implements driver.StorageDriver.
func (d *Driver) Stat(ctx context.Context, path string) (driver.FileInfo, error) {
	if path != "/" {
		key := d.key(path)
		info, h, err := d.conn.Object(ctx, d.container, key)
		if err == nil {
			d.remember(key, info.Bytes, h)
			return driver.NewFileInfo(path, info.Bytes, info.LastModified), nil
		}
		if !isNotFound(err) {
			return nil, fail(path, err)
		}
		d.seen.Forget(key)
		d.absent.Saw(key)
	}
	objs, err := d.conn.Objects(ctx, d.container, &ncw.ObjectsOpts{Prefix: d.dirPrefix(path), EndMarker: d.endMarker(d.dirPrefix(path)), Limit: 1})
	if err != nil {
		return nil, fail(path, err)
	}
	if len(objs) == 0 {
		return nil, driver.PathNotFoundError{Path: path}
	}
	return driver.NewDirInfo(path), nil
}

// writing forgets what the driver remembered of key, before it writes
// there.
func (d *Driver) writing(key string) {
	d.absent.Forget(key)
	d.seen.Forget(key)
}

// remember records the object a lookup found at key, for Move: a plain
// object's size and ETag (see moveSeen); a large object is forgotten, as
// its Move needs its manifest, which only a lookup reads.
func (d *Driver) remember(key string, size int64, h ncw.Headers) {
	d.absent.Forget(key)
	if kindOf(h) != plainObject {
		d.seen.Forget(key)
		return
	}
	d.seen.Saw(key, size, h["Etag"])
}

// List implements driver.StorageDriver.
func (d *Driver) List(ctx context.Context, path string) ([]string, error) {
	objs, err := d.conn.ObjectsAll(ctx, d.container, &ncw.ObjectsOpts{Prefix: d.dirPrefix(path), EndMarker: d.endMarker(d.dirPrefix(path)), Delimiter: '/'})
	if err != nil {
		return nil, fail(path, err)
	}
	out := make([]string, 0, len(objs))
	for _, o := range objs {
		if p, ok := d.layout.Path(o.Name); ok {
			out = append(out, p)
		}
	}
	if len(out) == 0 && path != "/" {
		return nil, driver.PathNotFoundError{Path: path}
	}
	slices.Sort(out) // Swift orders "a/" after "a-x"
	return out, nil
}

// isNotFound reports whether err is Swift's 404.
func isNotFound(err error) bool {
	return errors.Is(err, ncw.ObjectNotFound) || errors.Is(err, ncw.ContainerNotFound) || statusOf(err) == http.StatusNotFound
}

func statusOf(err error) int {
	var se *ncw.Error
	if errors.As(err, &se) {
		return se.StatusCode
	}
	return 0
}

// fail turns a 404 into PathNotFoundError and keeps every other error.
func fail(path string, err error) error {
	if err == nil {
		return nil
	}
	if isNotFound(err) {
		return driver.PathNotFoundError{Path: path}
	}
	return err
}
