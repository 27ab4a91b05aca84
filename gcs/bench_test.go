package gcs_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"testing"

	"cloud.google.com/go/storage"
	"google.golang.org/api/iterator"

	"github.com/stowage/stowage/driver"
)

// The benchmarks run each operation through the driver ("stowage") and
// directly through the SDK ("sdk") against the same fake-gcs-server:
//
//	go test -run '^$' -bench . -benchtime 3x ./gcs/

const (
	benchObject = 32 << 20
	benchFiles  = 500
)

func benchDriver(b *testing.B, root string) (driver.StorageDriver, *storage.BucketHandle) {
	srv, client := startServer(b)
	d, err := driver.Open(b.Context(), "gcs", map[string]any{
		"bucket": testBucket, "endpoint": srv.Endpoint, "anonymous": true, "rootdirectory": root,
	})
	if err != nil {
		b.Fatal(err)
	}
	return d, client.Bucket(testBucket)
}

func BenchmarkWrite(b *testing.B) {
	d, bkt := benchDriver(b, "bench")
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
			w := bkt.Object(fmt.Sprintf("bench/sdk/%d", i)).NewWriter(b.Context())
			w.ChunkSize = 16 << 20
			if _, err := io.Copy(w, bytes.NewReader(data)); err != nil {
				b.Fatal(err)
			}
			if err := w.Close(); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkRead(b *testing.B) {
	d, bkt := benchDriver(b, "bench")
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
			rc, err := bkt.Object("bench/r").NewReader(b.Context())
			if err != nil {
				b.Fatal(err)
			}
			if n, err := io.Copy(io.Discard, rc); err != nil || n != benchObject {
				b.Fatal(n, err)
			}
			rc.Close()
		}
	})
}

func putFiles(b *testing.B, bkt *storage.BucketHandle, prefix string, n int) {
	b.Helper()
	ctx := context.Background()
	for i := range n {
		w := bkt.Object(fmt.Sprintf("%s/d%02d/f%04d", prefix, i%20, i)).NewWriter(ctx)
		w.ChunkSize = 0
		_, _ = w.Write([]byte("x"))
		if err := w.Close(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWalk(b *testing.B) {
	d, bkt := benchDriver(b, "bench")
	putFiles(b, bkt, "bench/walk", benchFiles)
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
			it := bkt.Objects(b.Context(), &storage.Query{Prefix: "bench/walk/"})
			for {
				_, err := it.Next()
				if err == iterator.Done {
					break
				}
				if err != nil {
					b.Fatal(err)
				}
				n++
			}
			if n != benchFiles {
				b.Fatalf("listed %d objects", n)
			}
		}
	})
}

// BenchmarkDelete deletes a directory of 500 objects; the SDK variant lists
// and deletes one object after another, as plain SDK code would.
func BenchmarkDelete(b *testing.B) {
	d, bkt := benchDriver(b, "bench")
	b.Run("stowage", func(b *testing.B) {
		for i := range b.N {
			b.StopTimer()
			putFiles(b, bkt, fmt.Sprintf("bench/del%d", i), benchFiles)
			b.StartTimer()
			if err := d.Delete(b.Context(), fmt.Sprintf("/del%d", i)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("sdk", func(b *testing.B) {
		for i := range b.N {
			b.StopTimer()
			prefix := fmt.Sprintf("bench/sdkdel%d", i)
			putFiles(b, bkt, prefix, benchFiles)
			b.StartTimer()
			it := bkt.Objects(b.Context(), &storage.Query{Prefix: prefix + "/"})
			for {
				attrs, err := it.Next()
				if err == iterator.Done {
					break
				}
				if err != nil {
					b.Fatal(err)
				}
				if err := bkt.Object(attrs.Name).Delete(b.Context()); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}
