package azure

import (
	"context"
	"errors"
	"sync/atomic"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/blob"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/container"
	"golang.org/x/sync/errgroup"

	"github.com/stowage/stowage/driver"
)

const (
	// batchSize is the most sub-requests a blob batch may hold.
	batchSize = 256
	// deleteConcurrency bounds parallel batches, or single deletes where
	// batches are not supported.
	deleteConcurrency = 8
)

// Delete implements driver.StorageDriver: the blob at path and every blob
// under path + "/", removed with blob batch requests of up to 256 deletes.
func (d *Driver) Delete(ctx context.Context, path string) error {
	n, err := d.deleteKeys(ctx, d.key(path), d.key(path)+"/")
	if err != nil {
		return err
	}
	if n == 0 {
		return driver.PathNotFoundError{Path: path}
	}
	return nil
}

// deleteKeys deletes the blob named exact and the blobs whose names start
// with prefix, and returns how many it deleted. Batches are sent as the
// listing pages arrive, at most deleteConcurrency at a time.
func (d *Driver) deleteKeys(ctx context.Context, exact, prefix string) (int, error) {
	var count atomic.Int64
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(deleteConcurrency)
	send := func(keys []string) {
		g.Go(func() error {
			var n int
			var err error
			if len(keys) == 1 {
				n, err = d.deleteOne(gctx, keys[0])
			} else {
				n, err = d.deleteBatch(gctx, keys)
			}
			count.Add(int64(n))
			return err
		})
	}
	keys := []string{exact}
	pager := d.container.NewListBlobsFlatPager(&container.ListBlobsFlatOptions{Prefix: &prefix})
	var listErr error
	for pager.More() {
		page, err := pager.NextPage(gctx)
		if err != nil {
			listErr = err
			break
		}
		for _, it := range page.Segment.BlobItems {
			keys = append(keys, *it.Name)
			if len(keys) == batchSize {
				send(keys)
				keys = nil
			}
		}
	}
	if len(keys) > 0 && listErr == nil {
		send(keys)
	}
	err := g.Wait()
	if listErr != nil {
		return int(count.Load()), listErr
	}
	return int(count.Load()), err
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
