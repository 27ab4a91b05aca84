package azure

import (
	"context"
	"errors"
	"iter"
	"sync/atomic"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/blob"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/container"
	"golang.org/x/sync/errgroup"

	"github.com/stowage/stowage/internal/deltree"
)

const (
	// batchSize is the most sub-requests a blob batch may hold.
	batchSize = 256
	// deleteConcurrency bounds parallel batches, or single deletes where
	// batches are not supported.
	deleteConcurrency = 8
)

// Delete implements driver.StorageDriver with internal/deltree: the blob
// at path and every blob under path + "/", removed with blob batch requests
// of up to 256 deletes sent as the listing pages arrive.
func (d *Driver) Delete(ctx context.Context, path string) error {
	return deltree.Path(ctx, deleter{d}, d.layout, path, deltree.Config{Batch: batchSize, Concurrency: deleteConcurrency})
}

// deleter is the Azure side of deltree.
type deleter struct{ d *Driver }

func (x deleter) List(ctx context.Context, prefix string) iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		pager := x.d.container.NewListBlobsFlatPager(&container.ListBlobsFlatOptions{Prefix: &prefix})
		for pager.More() {
			page, err := pager.NextPage(ctx)
			if err != nil {
				yield("", err)
				return
			}
			for _, it := range page.Segment.BlobItems {
				if !yield(*it.Name, nil) {
					return
				}
			}
		}
	}
}

func (x deleter) Delete(ctx context.Context, keys []string) error {
	if len(keys) == 1 {
		_, err := x.d.deleteOne(ctx, keys[0])
		return err
	}
	_, err := x.d.deleteBatch(ctx, keys)
	return err
}

// DeleteKey deletes in one request: Azure says whether the blob existed.
func (x deleter) DeleteKey(ctx context.Context, key string) (bool, error) {
	n, err := x.d.deleteOne(ctx, key)
	return n == 1, err
}

func (d *Driver) deleteOne(ctx context.Context, key string) (int, error) {
	_, err := d.blob(key).Delete(ctx, &blob.DeleteOptions{DeleteSnapshots: ptr(blob.DeleteSnapshotsOptionTypeInclude)})
	switch {
	case err == nil:
		return 1, nil
	case isNotFound(err):
		return 0, nil
	}
	return 0, err
}

// deleteBatch deletes keys in one batch request, or one by one when the
// service refuses batches.
func (d *Driver) deleteBatch(ctx context.Context, keys []string) (int, error) {
	bb, err := d.container.NewBatchBuilder()
	if err != nil {
		return d.deleteEach(ctx, keys)
	}
	for _, k := range keys {
		if err := bb.Delete(k, &container.BatchDeleteOptions{DeleteOptions: blob.DeleteOptions{DeleteSnapshots: ptr(blob.DeleteSnapshotsOptionTypeInclude)}}); err != nil {
			return 0, err
		}
	}
	resp, err := d.container.SubmitBatch(ctx, bb, nil)
	if err != nil {
		var re *azcore.ResponseError
		if errors.As(err, &re) && (re.StatusCode == 400 || re.StatusCode == 404 || re.StatusCode == 501) && re.ErrorCode != "AuthenticationFailed" {
			return d.deleteEach(ctx, keys)
		}
		return 0, err
	}
	n := 0
	for _, item := range resp.Responses {
		switch {
		case item.Error == nil:
			n++
		case isNotFound(item.Error):
		default:
			return n, item.Error
		}
	}
	return n, nil
}

func (d *Driver) deleteEach(ctx context.Context, keys []string) (int, error) {
	var count atomic.Int64
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(deleteConcurrency * 4)
	for _, k := range keys {
		g.Go(func() error {
			n, err := d.deleteOne(gctx, k)
			count.Add(int64(n))
			return err
		})
	}
	err := g.Wait()
	return int(count.Load()), err
}
