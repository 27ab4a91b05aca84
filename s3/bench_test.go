package s3

import (
	"bytes"
	"fmt"
	"io"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/stowage/stowage/driver"
)

// BenchmarkS3 compares the driver with the same work done with the raw
// SDK client, on one MinIO: go test -run '^$' -bench . -benchtime 3x ./s3/
func BenchmarkS3(b *testing.B) {
	s := startServer(b)
	raw := open(b, s.params("bench"))
	d := driver.Wrap(raw)
	c, bucket := raw.client, raw.bucket
	const size = 16 << 20
	data := randomBytes(size)
	ctx := b.Context()

	b.Run("Write/stowage", func(b *testing.B) {
		b.SetBytes(size)
		for i := range b.N {
			w, err := d.Writer(ctx, fmt.Sprintf("/w/%d", i), false)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := w.Write(data); err != nil {
				b.Fatal(err)
			}
			if err := w.Commit(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Write/sdk", func(b *testing.B) {
		b.SetBytes(size)
		for i := range b.N {
			_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: bucket, Key: aws.String(fmt.Sprintf("bench/sdk/%d", i)), Body: bytes.NewReader(data), ContentLength: aws.Int64(size)})
			if err != nil {
				b.Fatal(err)
			}
		}
	})
	// The same multipart upload (5 MiB parts) the writer does, one part at
	// a time.
	b.Run("Write/sdk-multipart", func(b *testing.B) {
		b.SetBytes(size)
		for i := range b.N {
			key := aws.String(fmt.Sprintf("bench/sdkmp/%d", i))
			up, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: bucket, Key: key})
			if err != nil {
				b.Fatal(err)
			}
			var parts []types.CompletedPart
			for n, off := int32(1), 0; off < size; n, off = n+1, off+5<<20 {
				chunk := data[off:min(off+5<<20, size)]
				out, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: bucket, Key: key, UploadId: up.UploadId, PartNumber: aws.Int32(n), Body: bytes.NewReader(chunk), ContentLength: aws.Int64(int64(len(chunk)))})
				if err != nil {
					b.Fatal(err)
				}
				parts = append(parts, types.CompletedPart{PartNumber: aws.Int32(n), ETag: out.ETag})
			}
			if _, err := c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: bucket, Key: key, UploadId: up.UploadId, MultipartUpload: &types.CompletedMultipartUpload{Parts: parts}}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Read/stowage", func(b *testing.B) {
		b.SetBytes(size)
		for range b.N {
			r, err := d.Reader(ctx, "/w/0", 0)
			if err != nil {
				b.Fatal(err)
			}
			if n, _ := io.Copy(io.Discard, r); n != size {
				b.Fatalf("read %d", n)
			}
			r.Close()
		}
	})
	b.Run("Read/sdk", func(b *testing.B) {
		b.SetBytes(size)
		for range b.N {
			out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: bucket, Key: aws.String("bench/w/0")})
			if err != nil {
				b.Fatal(err)
			}
			if n, _ := io.Copy(io.Discard, out.Body); n != size {
				b.Fatalf("read %d", n)
			}
			out.Body.Close()
		}
	})
	const files = 300
	fill := func(b *testing.B, dir string) {
		b.Helper()
		for i := range files {
			if err := d.PutContent(ctx, fmt.Sprintf("%s/%02d/f%d", dir, i%10, i), []byte("x")); err != nil {
				b.Fatal(err)
			}
		}
	}
	fill(b, "/walk")
	b.Run("Walk/stowage", func(b *testing.B) {
		for range b.N {
			n := 0
			if err := d.Walk(ctx, "/walk", func(driver.FileInfo) error { n++; return nil }); err != nil {
				b.Fatal(err)
			}
			if n != files+10 {
				b.Fatalf("walked %d", n)
			}
		}
	})
	b.Run("Walk/sdk", func(b *testing.B) {
		for range b.N {
			n := 0
			p := s3.NewListObjectsV2Paginator(c, &s3.ListObjectsV2Input{Bucket: bucket, Prefix: aws.String("bench/walk/")})
			for p.HasMorePages() {
				page, err := p.NextPage(ctx)
				if err != nil {
					b.Fatal(err)
				}
				n += len(page.Contents)
			}
			if n != files {
				b.Fatalf("listed %d", n)
			}
		}
	})
	b.Run("Delete/stowage", func(b *testing.B) {
		for range b.N {
			b.StopTimer()
			fill(b, "/del")
			b.StartTimer()
			if err := d.Delete(ctx, "/del"); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Delete/sdk", func(b *testing.B) {
		for range b.N {
			b.StopTimer()
			fill(b, "/del")
			b.StartTimer()
			p := s3.NewListObjectsV2Paginator(c, &s3.ListObjectsV2Input{Bucket: bucket, Prefix: aws.String("bench/del/")})
			for p.HasMorePages() {
				page, err := p.NextPage(ctx)
				if err != nil {
					b.Fatal(err)
				}
				var ids []types.ObjectIdentifier
				for _, o := range page.Contents {
					ids = append(ids, types.ObjectIdentifier{Key: o.Key})
				}
				if _, err := c.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: bucket, Delete: &types.Delete{Objects: ids, Quiet: aws.Bool(true)}}); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}
