package azure_test

import (
	"context"
	"fmt"

	"github.com/stowage/stowage/azure"
	"github.com/stowage/stowage/driver"
)

// Example opens the driver for Azurite's development account, as the
// reference registry's "storage: azure:" section would configure it.
func Example() {
	d, err := driver.Open(context.Background(), "azure", map[string]any{
		"accountname": "devstoreaccount1",
		"accountkey":  "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==",
		"container":   "registry",
		"serviceurl":  "http://127.0.0.1:10000/devstoreaccount1",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(d.Name())
	// Output: azure
}

// ExampleDriver_Container finds the azure adapter under the driver Open
// returns and uses the container client it stores with (its credential,
// retry and Content-MD5 policies included), for what stowage does not do
// itself (blob tiers, metadata): the container's URL and the name of the
// blob a path is stored at.
func ExampleDriver_Container() {
	d, err := driver.Open(context.Background(), "azure", map[string]any{
		"accountname":   "devstoreaccount1",
		"accountkey":    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==",
		"container":     "registry",
		"rootdirectory": "/docker",
		"serviceurl":    "http://127.0.0.1:10000/devstoreaccount1",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	a, ok := driver.As[*azure.Driver](d)
	if !ok {
		fmt.Println("not an azure driver")
		return
	}
	fmt.Println(a.Container().URL(), a.ObjectKey("/v2/blobs"))
	// Output: http://127.0.0.1:10000/devstoreaccount1/registry docker/v2/blobs
}
