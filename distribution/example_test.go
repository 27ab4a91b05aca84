package distribution_test

import (
	"context"
	"fmt"

	"github.com/distribution/distribution/v3/registry/storage/driver/factory"
	"github.com/stowage/stowage/distribution"
	"github.com/stowage/stowage/inmemory"
)

// A stowage driver used where distribution wants its own.
func ExampleNew() {
	ctx := context.Background()
	sd := distribution.New(inmemory.NewShared(inmemory.NewStore()))
	_ = sd.PutContent(ctx, "/docker/registry/v2/hello", []byte("hi"))
	b, _ := sd.GetContent(ctx, "/docker/registry/v2/hello")
	_, err := sd.Stat(ctx, "/missing")
	fmt.Printf("%s %s %T\n", sd.Name(), b, err)
	// Output: inmemory hi driver.PathNotFoundError
}

// A registry that links distribution's own drivers registers stowage's
// under a prefix; its config.yml says storage: {stowage-s3: {...}}.
func ExampleRegisterWithPrefix() {
	// With github.com/stowage/stowage/all imported to link the drivers.
	names, err := distribution.RegisterWithPrefix("example-")
	fmt.Println(names, err)
	sd, err := factory.Create(context.Background(), "example-inmemory", nil)
	fmt.Println(sd.Name(), err)
	// Output:
	// [example-azure example-filesystem example-gcs example-inmemory example-oss example-s3 example-swift] <nil>
	// inmemory <nil>
}
