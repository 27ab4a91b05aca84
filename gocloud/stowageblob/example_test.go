package stowageblob_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"gocloud.dev/blob"

	"github.com/stowage/stowage/gocloud/stowageblob"
	"github.com/stowage/stowage/inmemory"

	_ "github.com/stowage/stowage/filesystem"
)

// Open a stowage driver by name, with its parameters in the URL.
func Example() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "stowageblob")
	defer os.RemoveAll(dir)
	b, err := blob.OpenBucket(ctx, "stowage://filesystem?rootdirectory="+dir)
	if err != nil {
		log.Fatal(err)
	}
	defer b.Close()
	if err := b.WriteAll(ctx, "docker/registry/v2/blobs/data", []byte("layer"), nil); err != nil {
		log.Fatal(err)
	}
	// The key is the driver's path.
	_, err = os.Stat(filepath.Join(dir, "docker/registry/v2/blobs/data"))
	fmt.Println(err == nil)
	// Output: true
}

// Open the storage of a registry from its configuration file.
func Example_config() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "stowageblob")
	defer os.RemoveAll(dir)
	config := filepath.Join(dir, "config.yml")
	yml := "storage:\n  filesystem:\n    rootdirectory: " + filepath.Join(dir, "data") + "\n"
	if err := os.WriteFile(config, []byte(yml), 0o600); err != nil {
		log.Fatal(err)
	}
	b, err := blob.OpenBucket(ctx, "stowage:///?config="+config)
	if err != nil {
		log.Fatal(err)
	}
	defer b.Close()
	ok, err := b.IsAccessible(ctx)
	fmt.Println(ok, err)
	// Output: true <nil>
}

// Wrap a driver the program opened.
func ExampleOpenBucket() {
	ctx := context.Background()
	b := stowageblob.OpenBucket(inmemory.NewShared(inmemory.NewStore()))
	defer b.Close()
	_ = b.WriteAll(ctx, "a b/c", []byte("x"), &blob.WriterOptions{Metadata: map[string]string{"k": "v"}})
	attrs, err := b.Attributes(ctx, "a b/c")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(attrs.Size, attrs.ContentType, attrs.Metadata["k"])
	// Output: 1 text/plain; charset=utf-8 v
}
