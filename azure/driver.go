package azure

import (
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/blob"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/bloberror"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/blockblob"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/container"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/service"

	"github.com/stowage/stowage/configmap"
	"github.com/stowage/stowage/driver"
	"github.com/stowage/stowage/internal/inflight"
	"github.com/stowage/stowage/internal/layout"
	"github.com/stowage/stowage/internal/redact"
	"github.com/stowage/stowage/internal/retry"
)

// Name is the name the driver is registered under.
const Name = "azure"

func init() { driver.Register(Name, configmap.Factory(Name, New)) }

// Driver is the azure storage driver.
type Driver struct {
	container     *container.Client
	service       *service.Client
	containerName string
	sharedKey     *blob.SharedKeyCredential
	// prefix is "<rootdirectory>/" or "".
	layout layout.Layout

	udkMu sync.Mutex
	udk   *userDelegationKey

	retries *retry.Counter
	// maxConcurrency bounds the blocks one writer stages at a time.
	maxConcurrency int
	// blocks are the buffers of the driver's writers: a writer holds one
	// it fills and one per block in flight.
	blocks *inflight.Buffers
}

// New returns an azure driver wrapped in driver.Base. p is decided by
// configmap.Prepare (a Params built in Go gets the declared defaults for the
// fields it leaves at their zero value); no request is sent. opts give the
// HTTP client, the OpenTelemetry providers of Base and a user agent (the
// Azure SDK logs through its own global listener, not a per-client logger).
func New(ctx context.Context, p Params, opts ...driver.Option) (driver.StorageDriver, error) {
	if err := configmap.Prepare(&p); err != nil {
		return nil, err
	}
	o := driver.NewOptions(opts...)
	copts := azcore.ClientOptions{
		Retry: policy.RetryOptions{MaxRetries: int32(p.MaxRetries), RetryDelay: p.RetryDelay},
	}
	if p.MaxRetries == 0 {
		copts.Retry.MaxRetries = -1 // the SDK reads 0 as its default of 3
	}
	// Retries counted; blocks and blobs checksummed (see retry.go).
	retries := retry.NewCounter(Name, redact.Logger(o.Logger, p.AccountKey, p.Credentials.Secret), o.MeterProvider)
	copts.PerCallPolicies = append(copts.PerCallPolicies, callPolicy{}, md5Policy{})
	copts.PerRetryPolicies = append(copts.PerRetryPolicies, tryPolicy{retries})
	switch {
	case o.HTTPClient != nil:
		copts.Transport = o.HTTPClient
	case p.SkipVerify:
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.TLSClientConfig = &tls.Config{InsecureSkipVerify: true} //nolint:gosec // asked for by skipverify
		copts.Transport = &http.Client{Transport: tr}
	}
	if o.UserAgent != "" {
		copts.Telemetry.ApplicationID = o.UserAgent
	}
	svcURL := p.serviceURL()
	d := &Driver{containerName: p.Container, layout: layout.New(p.RootDirectory), retries: retries, maxConcurrency: p.MaxConcurrency, blocks: inflight.NewBuffers(BlockSize)}
	var err error
	switch p.credentialType() {
	case SharedKey:
		d.sharedKey, err = blob.NewSharedKeyCredential(p.AccountName, p.AccountKey)
		if err != nil {
			return nil, &configmap.Error{Param: "accountkey", Msg: "not a valid key: expected the base64 key the portal shows"}
		}
		d.service, err = service.NewClientWithSharedKeyCredential(svcURL, d.sharedKey, &service.ClientOptions{ClientOptions: copts})
	default:
		var cred azcore.TokenCredential
		if p.Credentials.Type == ClientSecret {
			cred, err = azidentity.NewClientSecretCredential(p.Credentials.TenantID, p.Credentials.ClientID, p.Credentials.Secret, &azidentity.ClientSecretCredentialOptions{ClientOptions: copts})
		} else {
			cred, err = azidentity.NewDefaultAzureCredential(&azidentity.DefaultAzureCredentialOptions{ClientOptions: copts})
		}
		if err != nil {
			return nil, fmt.Errorf("azure: credentials: %w", err)
		}
		d.service, err = service.NewClient(svcURL, cred, &service.ClientOptions{ClientOptions: copts})
	}
	if err != nil {
		return nil, fmt.Errorf("azure: %w", err)
	}
	d.container = d.service.NewContainerClient(p.Container)
	return driver.Wrap(d, opts...), nil
}

// Name implements driver.StorageDriver.
func (d *Driver) Name() string { return Name }

func (d *Driver) key(p string) string { return d.layout.Key(p) }

// Container returns the SDK client of the container the driver stores in:
// the driver's own, with its retry and Content-MD5 policies.
func (d *Driver) Container() *container.Client { return d.container }

// ObjectKey returns the name of the blob a path is stored at.
func (d *Driver) ObjectKey(path string) string { return d.key(path) }

func (d *Driver) dirKey(p string) string { return d.layout.DirPrefix(p) }

func (d *Driver) blob(key string) *blockblob.Client { return d.container.NewBlockBlobClient(key) }

// uploadBlob is the hidden blob that holds the upload in progress at path,
// under the root's ~uploads (internal/layout).
func (d *Driver) uploadBlob(path string) string { return d.layout.Upload(path) + "blocks" }

func isNotFound(err error) bool {
	return bloberror.HasCode(err, bloberror.BlobNotFound)
}

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
	_, err := d.blob(d.key(path)).UploadBuffer(ctx, content, &blockblob.UploadBufferOptions{
		BlockSize:   BlockSize,
		HTTPHeaders: &blob.HTTPHeaders{BlobContentType: ptr("application/octet-stream")},
	})
	return err
}

// retryReader is the body of resp, reopened where it broke on condition
// that the blob has the ETag it had (azblob's RetryReader); what names the
// request in the retry logs and metrics.
func (d *Driver) retryReader(ctx context.Context, resp blob.DownloadStreamResponse, what string) io.ReadCloser {
	return resp.NewRetryReader(ctx, &blob.RetryReaderOptions{
		MaxRetries: readRetries,
		OnFailedRead: func(failures int32, err error, _ blob.HTTPRange, willRetry bool) {
			if willRetry {
				d.retries.Retry(ctx, retry.Read, int(failures)+1, what, err)
			}
		},
	})
}

// Reader implements driver.StorageDriver. A stream that breaks is
// reopened where it broke, on condition that the blob has the ETag it had
// (azblob's RetryReader).
func (d *Driver) Reader(ctx context.Context, path string, offset int64) (io.ReadCloser, error) {
	b := d.blob(d.key(path))
	resp, err := b.DownloadStream(ctx, &blob.DownloadStreamOptions{Range: blob.HTTPRange{Offset: offset}})
	if err == nil {
		return d.retryReader(ctx, resp, "GET "+path), nil
	}
	if isNotFound(err) {
		return nil, driver.PathNotFoundError{Path: path}
	}
	if offset > 0 && bloberror.HasCode(err, bloberror.InvalidRange) {
		props, perr := b.GetProperties(ctx, nil)
		switch {
		case isNotFound(perr):
			return nil, driver.PathNotFoundError{Path: path}
		case perr != nil:
			return nil, err
		case offset == *props.ContentLength:
			return io.NopCloser(bytes.NewReader(nil)), nil
		case offset > *props.ContentLength:
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
	props, err := d.blob(d.key(path)).GetProperties(ctx, nil)
	if err == nil {
		return driver.NewFileInfo(path, *props.ContentLength, *props.LastModified), nil
	}
	if !isNotFound(err) {
		return nil, err
	}
	prefix := d.dirKey(path)
	pager := d.container.NewListBlobsFlatPager(&container.ListBlobsFlatOptions{Prefix: &prefix, MaxResults: ptr(int32(1))})
	page, err := pager.NextPage(ctx)
	if err != nil {
		return nil, err
	}
	if len(page.Segment.BlobItems) > 0 {
		return driver.NewDirInfo(path), nil
	}
	return nil, driver.PathNotFoundError{Path: path}
}

// List implements driver.StorageDriver.
func (d *Driver) List(ctx context.Context, path string) ([]string, error) {
	prefix := d.dirKey(path)
	pager := d.container.NewListBlobsHierarchyPager("/", &container.ListBlobsHierarchyOptions{Prefix: &prefix})
	out := []string{}
	for pager.More() {
		page, err := pager.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		for _, p := range page.Segment.BlobPrefixes {
			name := strings.TrimSuffix(*p.Name, "/")
			if p, ok := d.layout.Path(name + "/"); ok && name+"/" != prefix {
				out = append(out, p)
			}
		}
		for _, it := range page.Segment.BlobItems {
			if p, ok := d.layout.Path(*it.Name); ok && *it.Name != prefix {
				out = append(out, p)
			}
		}
	}
	if len(out) == 0 && path != "/" {
		return nil, driver.PathNotFoundError{Path: path}
	}
	return out, nil
}

func ptr[T any](v T) *T { return &v }
