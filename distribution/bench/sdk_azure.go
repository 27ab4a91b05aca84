package bench

import (
	"context"
	"crypto/md5"
	"encoding/base64"
	"io"
	"net/http"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/streaming"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/blob"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/bloberror"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/blockblob"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/container"
	"golang.org/x/sync/errgroup"
)

// AzureSDK does the workloads with azblob directly: an upload is the
// SDK's own UploadStream at BlockSize and Concurrency (one Put Blob when
// the data is shorter than a block); a move is a Copy Blob (server side)
// and a delete; a delete lists and deletes blob by blob, 8 at a time.
type AzureSDK struct {
	Container   *container.Client
	Prefix      string
	BlockSize   int64
	Concurrency int
	// Buffer uploads with UploadBuffer and its defaults (one Put Blob up
	// to 256 MiB) instead of UploadStream.
	Buffer bool
}

// MD5Policy gives every PUT with a body a Content-MD5, as stowage's azure
// adapter does (azblob has no option for it on Put Block): give it to the
// SDK client of an AzureSDK to compare at the same integrity checks.
type MD5Policy struct{}

// Do implements policy.Policy.
func (MD5Policy) Do(req *policy.Request) (*http.Response, error) {
	raw := req.Raw()
	if raw.Method != http.MethodPut || req.Body() == nil || raw.ContentLength <= 0 || raw.Header.Get("x-ms-copy-source") != "" {
		return req.Next()
	}
	h := md5.New()
	if _, err := io.Copy(h, req.Body()); err != nil {
		return nil, err
	}
	if err := req.RewindBody(); err != nil {
		return nil, err
	}
	raw.Header["Content-MD5"] = []string{base64.StdEncoding.EncodeToString(h.Sum(nil))}
	return req.Next()
}

var _ Target = AzureSDK{}

var octet = &blob.HTTPHeaders{BlobContentType: ptr("application/octet-stream")}

func ptr[T any](v T) *T { return &v }

// Upload implements Target.
func (t AzureSDK) Upload(ctx context.Context, p string, data []byte, _ int) error {
	if t.Buffer {
		_, err := t.Container.NewBlockBlobClient(keyOf(t.Prefix, p)).UploadBuffer(ctx, data, &blockblob.UploadBufferOptions{HTTPHeaders: octet})
		return err
	}
	_, err := t.Container.NewBlockBlobClient(keyOf(t.Prefix, p)).UploadStream(ctx, reader(data), &blockblob.UploadStreamOptions{
		BlockSize: t.BlockSize, Concurrency: t.Concurrency, HTTPHeaders: octet,
	})
	return err
}

// Read implements Target.
func (t AzureSDK) Read(ctx context.Context, p string) (int64, error) {
	resp, err := t.Container.NewBlobClient(keyOf(t.Prefix, p)).DownloadStream(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	return readAll(resp.Body)
}

// Put implements Target.
func (t AzureSDK) Put(ctx context.Context, p string, data []byte) error {
	_, err := t.Container.NewBlockBlobClient(keyOf(t.Prefix, p)).Upload(ctx, streaming.NopCloser(reader(data)), &blockblob.UploadOptions{HTTPHeaders: octet})
	return err
}

// Exists implements Target.
func (t AzureSDK) Exists(ctx context.Context, p string) (bool, error) {
	_, err := t.Container.NewBlobClient(keyOf(t.Prefix, p)).GetProperties(ctx, nil)
	if bloberror.HasCode(err, bloberror.BlobNotFound) {
		return false, nil
	}
	return err == nil, err
}

// Move implements Target.
func (t AzureSDK) Move(ctx context.Context, src, dst string) error {
	from := t.Container.NewBlobClient(keyOf(t.Prefix, src))
	if _, err := t.Container.NewBlobClient(keyOf(t.Prefix, dst)).StartCopyFromURL(ctx, from.URL(), nil); err != nil {
		return err
	}
	_, err := from.Delete(ctx, nil)
	return err
}

func (t AzureSDK) list(ctx context.Context, p string, f func(name string)) error {
	prefix := dirOf(t.Prefix, p)
	for pager := t.Container.NewListBlobsFlatPager(&container.ListBlobsFlatOptions{Prefix: &prefix}); pager.More(); {
		page, err := pager.NextPage(ctx)
		if err != nil {
			return err
		}
		for _, it := range page.Segment.BlobItems {
			f(*it.Name)
		}
	}
	return nil
}

// Walk implements Target.
func (t AzureSDK) Walk(ctx context.Context, p string) (int, error) {
	n := 0
	err := t.list(ctx, p, func(string) { n++ })
	return n, err
}

// Delete implements Target.
func (t AzureSDK) Delete(ctx context.Context, p string) error {
	var names []string
	if err := t.list(ctx, p, func(name string) { names = append(names, name) }); err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(8)
	for _, name := range names {
		g.Go(func() error {
			_, err := t.Container.NewBlobClient(name).Delete(gctx, nil)
			return err
		})
	}
	return g.Wait()
}
