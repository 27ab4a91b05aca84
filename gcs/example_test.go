package gcs_test

import (
	"context"
	"fmt"

	"github.com/stowage/stowage/driver"
	"github.com/stowage/stowage/gcs"
)

// Example opens the driver against a fake-gcs-server on port 4443, as the
// reference registry's "storage: gcs:" section would configure it.
func Example() {
	d, err := driver.Open(context.Background(), "gcs", map[string]any{
		"bucket":        "registry",
		"rootdirectory": "/docker",
		"chunksize":     "16MiB",
		"endpoint":      "http://127.0.0.1:4443/storage/v1/",
		"anonymous":     true,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(d.Name())
	// Output: gcs
}

// ExampleDriver_Bucket finds the gcs adapter under the driver Open returns
// and uses the storage client it stores with, for what stowage does not do
// itself (object metadata, holds): its bucket handle and the object name of
// a path.
func ExampleDriver_Bucket() {
	d, err := driver.Open(context.Background(), "gcs", map[string]any{
		"bucket":        "registry",
		"rootdirectory": "/docker",
		"endpoint":      "http://127.0.0.1:4443/storage/v1/",
		"anonymous":     true,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	g, ok := driver.As[*gcs.Driver](d)
	if !ok {
		fmt.Println("not a gcs driver")
		return
	}
	obj := g.Bucket().Object(g.ObjectKey("/v2/blobs/sha256/ab/abcd/data"))
	fmt.Println(obj.BucketName(), obj.ObjectName())
	// Output: registry docker/v2/blobs/sha256/ab/abcd/data
}
