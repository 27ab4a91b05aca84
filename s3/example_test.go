package s3_test

import (
	"context"
	"fmt"
	"log"

	"github.com/stowage/stowage/driver"
	_ "github.com/stowage/stowage/s3"
)

// Open an S3 driver the way a registry does, from the parameters of its
// storage.s3 section. Credentials come from the default chain (IAM role,
// IRSA, environment) when accesskey and secretkey are not given.
func Example() {
	ctx := context.Background()
	d, err := driver.Open(ctx, "s3", map[string]any{
		"region":        "us-east-1",
		"bucket":        "docker.myregistry.com",
		"rootdirectory": "/registry",
		"encrypt":       true,
		"chunksize":     "16MiB",
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(d.Name())
	// Output: s3
}
