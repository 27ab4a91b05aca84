package azure_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob"

	"github.com/stowage/stowage/conformance/emulator"
	"github.com/stowage/stowage/driver"
)

// The benchmarks run each operation through the driver ("stowage") and
// directly through the SDK ("sdk") against the same Azurite:
//
//	go test -run '^$' -bench . -benchtime 3x ./azure/

const (
	benchObject = 32 << 20
	benchFiles  = 500
)

func benchDriver(b *testing.B) (driver.StorageDriver, *azblob.Client) {
	srv, client := startServer(b, emulator.AzuriteOptions{})
	return open(b, srv, "bench", nil), client
}

func BenchmarkWrite(b *testing.B) {
	d, client := benchDriver(b)
	data := make([]byte, benchObject)
	_, _ = rand.Read(data)
	b.Run("stowage", func(b *testing.B) {
		b.SetBytes(benchObject)
		for i := range b.N {
			w, err := d.Writer(b.Context(), fmt.Sprintf("/w/%d", i), false)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := io.Copy(w, bytes.NewReader(data)); err != nil {
				b.Fatal(err)
			}
			if err := w.Commit(b.Context()); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("sdk", func(b *testing.B) {
		b.SetBytes(benchObject)
		for i := range b.N {
			_, err := client.UploadStream(b.Context(), testContainer, fmt.Sprintf("bench/sdk/%d", i), bytes.NewReader(data),
				&azblob.UploadStreamOptions{BlockSize: 4 << 20})
			if err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkRead(b *testing.B) {
	d, client := benchDriver(b)
	data := make([]byte, benchObject)
	_, _ = rand.Read(data)
	if err := d.PutContent(b.Context(), "/r", data); err != nil {
		b.Fatal(err)
	}
	b.Run("stowage", func(b *testing.B) {
		b.SetBytes(benchObject)
		for range b.N {
			rc, err := d.Reader(b.Context(), "/r", 0)
			if err != nil {
				b.Fatal(err)
			}
			if n, err := io.Copy(io.Discard, rc); err != nil || n != benchObject {
				b.Fatal(n, err)
			}
			rc.Close()
		}
	})
	b.Run("sdk", func(b *testing.B) {
		b.SetBytes(benchObject)
		for range b.N {
			resp, err := client.DownloadStream(b.Context(), testContainer, "bench/r", nil)
			if err != nil {
				b.Fatal(err)
			}
			if n, err := io.Copy(io.Discard, resp.Body); err != nil || n != benchObject {
				b.Fatal(n, err)
			}
			resp.Body.Close()
		}
	})
}

func putFiles(b *testing.B, client *azblob.Client, prefix string, n int) {
	b.Helper()
	for i := range n {
		if _, err := client.UploadBuffer(context.Background(), testContainer, fmt.Sprintf("%s/d%02d/f%04d", prefix, i%20, i), []byte("x"), nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWalk(b *testing.B) {
	d, client := benchDriver(b)
	putFiles(b, client, "bench/walk", benchFiles)
	b.Run("stowage", func(b *testing.B) {
		for range b.N {
			n := 0
			if err := d.Walk(b.Context(), "/walk", func(fi driver.FileInfo) error { n++; return nil }); err != nil {
				b.Fatal(err)
			}
			if n != benchFiles+20 {
				b.Fatalf("walked %d entries", n)
			}
		}
	})
	b.Run("sdk", func(b *testing.B) {
		for range b.N {
			n := 0
			prefix := "bench/walk/"
			pager := client.NewListBlobsFlatPager(testContainer, &azblob.ListBlobsFlatOptions{Prefix: &prefix})
			for pager.More() {
				page, err := pager.NextPage(b.Context())
				if err != nil {
					b.Fatal(err)
				}
				n += len(page.Segment.BlobItems)
			}
			if n != benchFiles {
				b.Fatalf("listed %d blobs", n)
			}
		}
	})
}

// BenchmarkDelete deletes a directory of 500 blobs; the SDK variant lists
// and deletes one blob after another, as plain SDK code would.
func BenchmarkDelete(b *testing.B) {
	d, client := benchDriver(b)
	b.Run("stowage", func(b *testing.B) {
		for i := range b.N {
			b.StopTimer()
			putFiles(b, client, fmt.Sprintf("bench/del%d", i), benchFiles)
			b.StartTimer()
			if err := d.Delete(b.Context(), fmt.Sprintf("/del%d", i)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("sdk", func(b *testing.B) {
		for i := range b.N {
			b.StopTimer()
			prefix := fmt.Sprintf("bench/sdkdel%d/", i)
			putFiles(b, client, prefix[:len(prefix)-1], benchFiles)
			b.StartTimer()
			pager := client.NewListBlobsFlatPager(testContainer, &azblob.ListBlobsFlatOptions{Prefix: &prefix})
			for pager.More() {
				page, err := pager.NextPage(b.Context())
				if err != nil {
					b.Fatal(err)
				}
				for _, it := range page.Segment.BlobItems {
					if _, err := client.DeleteBlob(b.Context(), testContainer, *it.Name, nil); err != nil {
						b.Fatal(err)
					}
				}
			}
		}
	})
}
