package osstest_test

import (
	"fmt"
	"io"
	"log"
	"strings"

	"github.com/aliyun/aliyun-oss-go-sdk/oss"

	"github.com/stowage/stowage/oss/osstest"
)

// Example points the OSS SDK at an osstest server. The endpoint is an IP
// address, so the SDK addresses buckets path-style by itself.
func Example() {
	srv := osstest.NewServer(osstest.Options{
		AccessKeyID:     "my-id",
		AccessKeySecret: "my-secret",
		Buckets:         []string{"my-bucket"},
	})
	defer srv.Close()

	client, err := oss.New(srv.URL, "my-id", "my-secret")
	if err != nil {
		log.Fatal(err)
	}
	bucket, _ := client.Bucket("my-bucket")
	if err := bucket.PutObject("greeting", strings.NewReader("hello")); err != nil {
		log.Fatal(err)
	}
	rc, err := bucket.GetObject("greeting")
	if err != nil {
		log.Fatal(err)
	}
	defer rc.Close()
	data, _ := io.ReadAll(rc)
	fmt.Println(string(data))

	// A client with the wrong secret is refused.
	bad, _ := oss.New(srv.URL, "my-id", "wrong")
	badBucket, _ := bad.Bucket("my-bucket")
	_, err = badBucket.GetObject("greeting")
	fmt.Println(err.(oss.ServiceError).Code)
	// Output:
	// hello
	// SignatureDoesNotMatch
}
