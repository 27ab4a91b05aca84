package azure_test

import (
	"context"
	"fmt"

	_ "github.com/stowage/stowage/azure"
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
