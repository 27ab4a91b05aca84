package sdkbench

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

// Azure does the workloads with azblob directly: an upload is the
// SDK's own UploadStream at BlockSize and Concurrency (one Put Blob when
// the data is shorter than a block); a move is a Copy Blob (server side)
// and a delete; a delete lists and deletes blob by blob, 8 at a time.
type Azure struct {
	Container *container.Client
	// Key maps a driver path to the object key (Under gives one for a prefix).
	Key         func(path string) string
	BlockSize   int64
	Concurrency int
	// Buffer uploads with UploadBuffer and its defaults (one Put Blob up
	// to 256 MiB) instead of UploadStream.
	Buffer bool
}

// MD5Policy gives every PUT with a body a Content-MD5, as stowage's azure
// adapter does (azblob has no option for it on Put Block): give it to the
// SDK client of an Azure to compare at the same integrity checks.
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

var octet = &blob.HTTPHeaders{BlobContentType: ptr("application/octet-stream")}

func ptr[T any](v T) *T { return &v }

// Upload implements Target.
func (t Azure) Upload(ctx context.Context, p string, data []byte, _ int) error {
	if t.Buffer {
		_, err := t.Container.NewBlockBlobClient(t.Key(p)).UploadBuffer(ctx, data, &blockblob.UploadBufferOptions{HTTPHeaders: octet})
		return err
	}
	_, err := t.Container.NewBlockBlobClient(t.Key(p)).UploadStream(ctx, reader(data), &blockblob.UploadStreamOptions{
		BlockSize: t.BlockSize, Concurrency: t.Concurrency, HTTPHeaders: octet,
	})
	return err
}

// Open implements Target.
func (t Azure) Open(ctx context.Context, p string) (io.ReadCloser, error) {
	resp, err := t.Container.NewBlobClient(t.Key(p)).DownloadStream(ctx, nil)
	if err != nil {
		return nil, err
	}
	return resp.Body, nil
}

// Read implements Target.
func (t Azure) Read(ctx context.Context, p string) (int64, error) { return Read(ctx, t.Open, p) }

// Put implements Target.
func (t Azure) Put(ctx context.Context, p string, data []byte) error {
	_, err := t.Container.NewBlockBlobClient(t.Key(p)).Upload(ctx, streaming.NopCloser(reader(data)), &blockblob.UploadOptions{HTTPHeaders: octet})
	return err
}

// Exists implements Target.
func (t Azure) Exists(ctx context.Context, p string) (bool, error) {
	_, err := t.Container.NewBlobClient(t.Key(p)).GetProperties(ctx, nil)
	if bloberror.HasCode(err, bloberror.BlobNotFound) {
		return false, nil
	}
	return err == nil, err
}

// Move implements Target.
func (t Azure) Move(ctx context.Context, src, dst string) error {
	from := t.Container.NewBlobClient(t.Key(src))
	if _, err := t.Container.NewBlobClient(t.Key(dst)).StartCopyFromURL(ctx, from.URL(), nil); err != nil {
		return err
	}
	_, err := from.Delete(ctx, nil)
	return err
}

func (t Azure) list(ctx context.Context, p string, f func(name string)) error {
	prefix := dirOf(t.Key, p)
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
func (t Azure) Walk(ctx context.Context, p string) (int, error) {
	n := 0
	err := t.list(ctx, p, func(string) { n++ })
	return n, err
}

// Delete implements Target.
func (t Azure) Delete(ctx context.Context, p string) error {
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
