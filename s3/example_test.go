package s3_test

import (
	"context"
	"fmt"
	"log"

	"github.com/stowage/stowage/driver"
	"github.com/stowage/stowage/s3"
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

// ExampleDriver_Client finds the s3 adapter under the driver Open returns
// and uses the aws-sdk-go-v2 client it sends with, for what stowage does
// not do itself (tags, object lock): its bucket and the key of a path.
func ExampleDriver_Client() {
	d, err := driver.Open(context.Background(), "s3", map[string]any{
		"region":        "us-east-1",
		"bucket":        "docker.myregistry.com",
		"rootdirectory": "/registry",
	})
	if err != nil {
		log.Fatal(err)
	}
	sd, ok := driver.As[*s3.Driver](d)
	if !ok {
		log.Fatal("not an s3 driver")
	}
	fmt.Println(sd.Client().Options().Region, sd.Bucket(), sd.ObjectKey("/docker/registry/v2/repositories"))
	// Output: us-east-1 docker.myregistry.com registry/docker/registry/v2/repositories
}
