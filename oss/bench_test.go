package oss_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"testing"

	alioss "github.com/aliyun/aliyun-oss-go-sdk/oss"

	"github.com/stowage/stowage/driver"
	"github.com/stowage/stowage/oss/osstest"
)

// The benchmarks run each operation through the driver and directly with
// the SDK against the same osstest server in the same run:
//
//	go test -run '^$' -bench . -benchtime 3x ./oss/

const (
	benchSize  = 32 << 20
	benchChunk = 5 << 20
	benchFiles = 1000
)

func benchSetup(b *testing.B) (driver.StorageDriver, *alioss.Bucket, *osstest.Server) {
	b.Helper()
	srv := startServer(b)
	d := open(b, srv, "bench", nil)
	client, err := alioss.New(srv.URL, osstest.DefaultAccessKeyID, osstest.DefaultAccessKeySecret)
	if err != nil {
		b.Fatal(err)
	}
	raw, err := client.Bucket(testBucket)
	if err != nil {
		b.Fatal(err)
	}
	return d, raw, srv
}

func BenchmarkWrite(b *testing.B) {
	d, raw, _ := benchSetup(b)
	ctx := context.Background()
	data := bytes.Repeat([]byte("stowage!"), benchSize/8)
	// Warm the server's heap so that the first sub-benchmark is not
	// charged for it.
	for range 2 {
		if err := raw.PutObject("bench/warmup", bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("stowage", func(b *testing.B) {
		b.SetBytes(benchSize)
		for b.Loop() {
			w, err := d.Writer(ctx, "/write/blob", false)
			if err != nil {
				b.Fatal(err)
			}
			for off := 0; off < len(data); off += 1 << 20 {
				if _, err := w.Write(data[off : off+1<<20]); err != nil {
					b.Fatal(err)
				}
			}
			if err := w.Commit(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("sdk", func(b *testing.B) {
		b.SetBytes(benchSize)
		for b.Loop() {
			imur, err := raw.InitiateMultipartUpload("bench/write/sdk")
			if err != nil {
				b.Fatal(err)
			}
			var parts []alioss.UploadPart
			for off, n := 0, 1; off < len(data); off, n = off+benchChunk, n+1 {
				end := min(off+benchChunk, len(data))
				p, err := raw.UploadPart(imur, bytes.NewReader(data[off:end]), int64(end-off), n)
				if err != nil {
					b.Fatal(err)
				}
				parts = append(parts, p)
			}
			if _, err := raw.CompleteMultipartUpload(imur, parts); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkRead(b *testing.B) {
	d, raw, _ := benchSetup(b)
	ctx := context.Background()
	if err := d.PutContent(ctx, "/read/blob", bytes.Repeat([]byte("r"), benchSize)); err != nil {
		b.Fatal(err)
	}
	b.Run("stowage", func(b *testing.B) {
		b.SetBytes(benchSize)
		for b.Loop() {
			rc, err := d.Reader(ctx, "/read/blob", 0)
			if err != nil {
				b.Fatal(err)
			}
			if n, err := io.Copy(io.Discard, rc); err != nil || n != benchSize {
				b.Fatal(n, err)
			}
			rc.Close()
		}
	})
	b.Run("sdk", func(b *testing.B) {
		b.SetBytes(benchSize)
		for b.Loop() {
			rc, err := raw.GetObject("bench/read/blob")
			if err != nil {
				b.Fatal(err)
			}
			if n, err := io.Copy(io.Discard, rc); err != nil || n != benchSize {
				b.Fatal(n, err)
			}
			rc.Close()
		}
	})
}

func fill(b *testing.B, raw *alioss.Bucket, prefix string) {
	b.Helper()
	for i := range benchFiles {
		if err := raw.PutObject(fmt.Sprintf("%s/d%02d/f%04d", prefix, i%10, i), bytes.NewReader([]byte("x"))); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWalk(b *testing.B) {
	d, raw, _ := benchSetup(b)
	ctx := context.Background()
	fill(b, raw, "bench/walk")
	b.Run("stowage", func(b *testing.B) {
		for b.Loop() {
			n := 0
			if err := d.Walk(ctx, "/walk", func(fi driver.FileInfo) error {
				if !fi.IsDir() {
					n++
				}
				return nil
			}); err != nil || n != benchFiles {
				b.Fatal(n, err)
			}
		}
		b.ReportMetric(benchFiles, "files/op")
	})
	b.Run("sdk", func(b *testing.B) {
		for b.Loop() {
			n, token := 0, ""
			for {
				opts := []alioss.Option{alioss.Prefix("bench/walk/"), alioss.MaxKeys(1000)}
				if token != "" {
					opts = append(opts, alioss.ContinuationToken(token))
				}
				res, err := raw.ListObjectsV2(opts...)
				if err != nil {
					b.Fatal(err)
				}
				n += len(res.Objects)
				if !res.IsTruncated {
					break
				}
				token = res.NextContinuationToken
			}
			if n != benchFiles {
				b.Fatal(n)
			}
		}
		b.ReportMetric(benchFiles, "files/op")
	})
}

func BenchmarkDelete(b *testing.B) {
	d, raw, _ := benchSetup(b)
	ctx := context.Background()
	b.Run("stowage", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			fill(b, raw, "bench/delete")
			b.StartTimer()
			if err := d.Delete(ctx, "/delete"); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(benchFiles, "files/op")
	})
	b.Run("sdk", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			fill(b, raw, "bench/delete")
			b.StartTimer()
			token := ""
			for {
				opts := []alioss.Option{alioss.Prefix("bench/delete/"), alioss.MaxKeys(1000)}
				if token != "" {
					opts = append(opts, alioss.ContinuationToken(token))
				}
				res, err := raw.ListObjectsV2(opts...)
				if err != nil {
					b.Fatal(err)
				}
				keys := make([]string, len(res.Objects))
				for i, o := range res.Objects {
					keys[i] = o.Key
				}
				if len(keys) > 0 {
					if _, err := raw.DeleteObjects(keys, alioss.DeleteObjectsQuiet(true)); err != nil {
						b.Fatal(err)
					}
				}
				if !res.IsTruncated {
					break
				}
				token = res.NextContinuationToken
			}
		}
		b.ReportMetric(benchFiles, "files/op")
	})
}
