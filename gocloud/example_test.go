package gocloud_test

import (
	"context"
	"fmt"
	"log"

	"gocloud.dev/blob"
	"gocloud.dev/blob/memblob"

	"github.com/stowage/stowage/driver"
	"github.com/stowage/stowage/gocloud"
)

// Open the driver from a Go CDK bucket URL, as a registry's
// "storage: gocloud:" section does, and resume an upload the way a
// registry does across the PATCH requests of a blob upload.
func Example() {
	ctx := context.Background()
	d, err := driver.Open(ctx, gocloud.Name, map[string]any{
		"url":           "mem://",
		"rootdirectory": "/registry",
	})
	if err != nil {
		log.Fatal(err)
	}
	defer driver.Close(d)

	w, err := d.Writer(ctx, "/uploads/u1/data", false)
	if err != nil {
		log.Fatal(err)
	}
	_, _ = w.Write([]byte("hello, "))
	if err := w.Close(); err != nil { // kept as a hidden part object
		log.Fatal(err)
	}
	w, err = d.Writer(ctx, "/uploads/u1/data", true)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("resumed at", w.Size())
	_, _ = w.Write([]byte("world"))
	if err := w.Commit(ctx); err != nil {
		log.Fatal(err)
	}
	data, err := d.GetContent(ctx, "/uploads/u1/data")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(string(data))
	// Output:
	// resumed at 7
	// hello, world
}

// Use a bucket the program opened itself (its own client and credentials).
func ExampleFromBucket() {
	ctx := context.Background()
	b := memblob.OpenBucket(nil)
	defer b.Close()
	d, err := gocloud.FromBucket(b, gocloud.Params{URL: "mem://", RootDirectory: "/registry"})
	if err != nil {
		log.Fatal(err)
	}
	if err := d.PutContent(ctx, "/a/b", []byte("x")); err != nil {
		log.Fatal(err)
	}
	keys, _, err := b.ListPage(ctx, blob.FirstPageToken, 10, nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, k := range keys {
		fmt.Println(k.Key)
	}
	// Output: registry/a/b
}
