package oss_test

import (
	"context"
	"fmt"
	"log"

	"github.com/stowage/stowage/driver"
	"github.com/stowage/stowage/oss"
	"github.com/stowage/stowage/oss/osstest"
)

// Example opens the oss driver against an osstest server, as a test of code
// that uses OSS would, and stores and reads back a file.
func Example() {
	srv := osstest.NewServer(osstest.Options{Buckets: []string{"registry"}})
	defer srv.Close()

	ctx := context.Background()
	d, err := driver.Open(ctx, "oss", map[string]any{
		"accesskeyid":     osstest.DefaultAccessKeyID,
		"accesskeysecret": osstest.DefaultAccessKeySecret,
		"region":          "oss-cn-hangzhou",
		"bucket":          "registry",
		"endpoint":        srv.URL, // omit to use https://oss-cn-hangzhou.aliyuncs.com
		"rootdirectory":   "/docker",
		"encrypt":         true,
	})
	if err != nil {
		log.Fatal(err)
	}
	if err := d.PutContent(ctx, "/hello", []byte("world")); err != nil {
		log.Fatal(err)
	}
	data, err := d.GetContent(ctx, "/hello")
	if err != nil {
		log.Fatal(err)
	}
	info, _ := srv.Object("registry", "docker/hello")
	fmt.Println(string(data), info.ServerSideEncryption)
	// Output: world AES256
}

// ExampleDriver_Bucket finds the oss adapter under the driver Open returns
// and uses the SDK bucket it stores with, for what stowage does not do
// itself (object tags, lifecycle rules): here, the key of a path and the
// object's metadata as the SDK reads it.
func ExampleDriver_Bucket() {
	srv := osstest.NewServer(osstest.Options{Buckets: []string{"registry"}})
	defer srv.Close()
	ctx := context.Background()
	d, err := driver.Open(ctx, "oss", map[string]any{
		"accesskeyid":     osstest.DefaultAccessKeyID,
		"accesskeysecret": osstest.DefaultAccessKeySecret,
		"region":          "oss-cn-hangzhou",
		"bucket":          "registry",
		"endpoint":        srv.URL,
		"rootdirectory":   "/docker",
	})
	if err != nil {
		log.Fatal(err)
	}
	if err := d.PutContent(ctx, "/hello", []byte("world")); err != nil {
		log.Fatal(err)
	}
	o, ok := driver.As[*oss.Driver](d)
	if !ok {
		log.Fatal("not an oss driver")
	}
	key := o.ObjectKey("/hello")
	h, err := o.Bucket().GetObjectMeta(key)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(o.Bucket().BucketName, key, h.Get("Content-Length"))
	// Output: registry docker/hello 5
}
