package oss_test

import (
	"context"
	"fmt"
	"log"

	"github.com/stowage/stowage/driver"
	_ "github.com/stowage/stowage/oss"
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
