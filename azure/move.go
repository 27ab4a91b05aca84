package azure

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/blob"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/bloberror"

	"github.com/stowage/stowage/driver"
)

// Move implements driver.StorageDriver by a server-side copy, waited for
// until it completes, and a delete of the source.
func (d *Driver) Move(ctx context.Context, sourcePath, destPath string) error {
	if err := d.copyBlob(ctx, d.key(sourcePath), d.key(destPath)); err != nil {
		if isNotFound(err) || copySourceMissing(err) {
			return driver.PathNotFoundError{Path: sourcePath}
		}
		return err
	}
	if _, err := d.deleteOne(ctx, d.key(sourcePath)); err != nil {
		return err
	}
	return nil
}

func copySourceMissing(err error) bool {
	var re *azcore.ResponseError
	return bloberror.HasCode(err, bloberror.CannotVerifyCopySource) && errors.As(err, &re) && re.StatusCode == 404
}

// copyBlob copies the blob src to dst within the container (Copy Blob, any
// size) and waits until the copy is done.
func (d *Driver) copyBlob(ctx context.Context, src, dst string) error {
	dstBlob := d.blob(dst)
	resp, err := dstBlob.StartCopyFromURL(ctx, d.blob(src).URL(), nil)
	if err != nil {
		return err
	}
	status, desc := resp.CopyStatus, ""
	delay := 20 * time.Millisecond
	for status != nil && *status == blob.CopyStatusTypePending {
		select {
		case <-ctx.Done():
			if resp.CopyID != nil {
				_, _ = dstBlob.AbortCopyFromURL(context.WithoutCancel(ctx), *resp.CopyID, nil)
			}
			return ctx.Err()
		case <-time.After(delay):
		}
		delay = min(2*delay, time.Second)
		props, err := dstBlob.GetProperties(ctx, nil)
		if err != nil {
			return err
		}
		status = props.CopyStatus
		if props.CopyStatusDescription != nil {
			desc = *props.CopyStatusDescription
		}
	}
	if status != nil && *status != blob.CopyStatusTypeSuccess {
		return fmt.Errorf("copy of %s to %s ended %s: %s", src, dst, *status, desc)
	}
	return nil
}
