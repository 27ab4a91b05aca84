package swift_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"testing"

	ncw "github.com/ncw/swift/v2"

	"github.com/stowage/stowage/conformance/emulator"
	"github.com/stowage/stowage/driver"
)

// BenchmarkSwift measures the driver beside the same operations done with
// ncw/swift directly, on one cluster in the same run:
//
//	go test -run '^$' -bench . -benchtime 3x ./swift/
func BenchmarkSwift(b *testing.B) {
	c := startCluster(b, emulator.SwiftOptions{LogLevel: "ERROR"})
	ctx := context.Background()
	d := c.open(b, "bench", map[string]any{"chunksize": "5MiB"})
	conn := &ncw.Connection{UserName: c.s.User, ApiKey: c.s.Key, AuthUrl: c.s.AuthURL}
	if err := conn.Authenticate(ctx); err != nil {
		b.Fatal(err)
	}
	small := randBytes(4 << 20)
	large := randBytes(24 << 20)

	b.Run("Write/stowage", func(b *testing.B) {
		b.SetBytes(int64(len(small)))
		for i := 0; b.Loop(); i++ {
			writeDriver(b, d, fmt.Sprintf("/w/%d", i), small)
		}
	})
	b.Run("Write/sdk", func(b *testing.B) {
		b.SetBytes(int64(len(small)))
		for i := 0; b.Loop(); i++ {
			if err := conn.ObjectPutBytes(ctx, "bench", fmt.Sprintf("sdkw/%d", i), small, "application/octet-stream"); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("WriteLarge/stowage", func(b *testing.B) {
		b.SetBytes(int64(len(large)))
		for i := 0; b.Loop(); i++ {
			writeDriver(b, d, fmt.Sprintf("/wl/%d", i), large)
		}
	})
	b.Run("WriteLarge/sdk", func(b *testing.B) {
		b.SetBytes(int64(len(large)))
		for i := 0; b.Loop(); i++ {
			f, err := conn.StaticLargeObjectCreateFile(ctx, &ncw.LargeObjectOpts{
				Container: "bench", ObjectName: fmt.Sprintf("sdkwl/%d", i), ChunkSize: 5 << 20,
				SegmentContainer: "bench", SegmentPrefix: fmt.Sprintf("sdksegs/%d", i),
			})
			if err != nil {
				b.Fatal(err)
			}
			if _, err := f.Write(large); err != nil {
				b.Fatal(err)
			}
			if err := f.Close(); err != nil {
				b.Fatal(err)
			}
		}
	})

	writeDriver(b, d, "/r", small)
	b.Run("Read/stowage", func(b *testing.B) {
		b.SetBytes(int64(len(small)))
		for b.Loop() {
			rc, err := d.Reader(ctx, "/r", 0)
			if err != nil {
				b.Fatal(err)
			}
			if n, err := io.Copy(io.Discard, rc); err != nil || n != int64(len(small)) {
				b.Fatal(n, err)
			}
			rc.Close()
		}
	})
	b.Run("Read/sdk", func(b *testing.B) {
		b.SetBytes(int64(len(small)))
		for b.Loop() {
			f, _, err := conn.ObjectOpen(ctx, "bench", "r", false, nil)
			if err != nil {
				b.Fatal(err)
			}
			if n, err := io.Copy(io.Discard, f); err != nil || n != int64(len(small)) {
				b.Fatal(n, err)
			}
			f.Close()
		}
	})

	const files = 500
	for i := range files {
		if err := d.PutContent(ctx, fmt.Sprintf("/walk/%d/%d", i%10, i), []byte("x")); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("Walk/stowage", func(b *testing.B) {
		for b.Loop() {
			n := 0
			if err := d.Walk(ctx, "/walk", func(fi driver.FileInfo) error { n++; return nil }); err != nil || n != files+10 {
				b.Fatal(n, err)
			}
		}
	})
	b.Run("Walk/sdk", func(b *testing.B) {
		for b.Loop() {
			objs, err := conn.ObjectsAll(ctx, "bench", &ncw.ObjectsOpts{Prefix: "walk/"})
			if err != nil || len(objs) != files {
				b.Fatal(len(objs), err)
			}
		}
	})

	const del = 100
	b.Run("Delete/stowage", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			b.StopTimer()
			dir := fmt.Sprintf("/del/%d", i)
			for j := range del {
				if err := d.PutContent(ctx, fmt.Sprintf("%s/%d", dir, j), []byte("x")); err != nil {
					b.Fatal(err)
				}
			}
			b.StartTimer()
			if err := d.Delete(ctx, dir); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Delete/sdk", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			b.StopTimer()
			dir := fmt.Sprintf("sdkdel/%d/", i)
			for j := range del {
				if err := conn.ObjectPutBytes(ctx, "bench", fmt.Sprintf("%s%d", dir, j), []byte("x"), ""); err != nil {
					b.Fatal(err)
				}
			}
			b.StartTimer()
			names, err := conn.ObjectNamesAll(ctx, "bench", &ncw.ObjectsOpts{Prefix: dir})
			if err != nil {
				b.Fatal(err)
			}
			if _, err := conn.BulkDelete(ctx, "bench", names); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func writeDriver(b *testing.B, d driver.StorageDriver, path string, data []byte) {
	b.Helper()
	ctx := context.Background()
	w, err := d.Writer(ctx, path, false)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.Copy(w, bytes.NewReader(data)); err != nil {
		b.Fatal(err)
	}
	if err := w.Commit(ctx); err != nil {
		b.Fatal(err)
	}
}
