package gcs_test

import (
	"context"
	"fmt"

	"github.com/stowage/stowage/driver"
	_ "github.com/stowage/stowage/gcs"
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
