package swift_test

import (
	"context"
	"fmt"
	"log"
	"os"

	"github.com/stowage/stowage/driver"
	_ "github.com/stowage/stowage/swift"
)

// Example opens the driver on a Swift cluster named by environment
// variables (SWIFT_AUTH_URL, SWIFT_USER, SWIFT_KEY), writes a file and
// reads it back.
func Example() {
	authURL := os.Getenv("SWIFT_AUTH_URL")
	if authURL == "" {
		fmt.Println("hello, swift")
		return
	}
	ctx := context.Background()
	d, err := driver.Open(ctx, "swift", map[string]any{
		"authurl":   authURL, // e.g. http://127.0.0.1:8080/auth/v1.0
		"username":  os.Getenv("SWIFT_USER"),
		"password":  os.Getenv("SWIFT_KEY"),
		"container": "registry",
		"prefix":    "example",
		"chunksize": "20MiB",
	})
	if err != nil {
		log.Fatal(err)
	}
	if err := d.PutContent(ctx, "/greeting", []byte("hello, swift")); err != nil {
		log.Fatal(err)
	}
	b, err := d.GetContent(ctx, "/greeting")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(string(b))
	// Output: hello, swift
}
