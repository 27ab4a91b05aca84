package gocloud_test

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"cloud.google.com/go/storage"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"gocloud.dev/blob"
	"gocloud.dev/blob/memblob"
	"google.golang.org/api/iterator"
	"google.golang.org/api/option"

	"github.com/stowage/stowage/conformance"
	"github.com/stowage/stowage/conformance/emulator"
	"github.com/stowage/stowage/driver"
	"github.com/stowage/stowage/gocloud"
)

const testBucket = "stowage-test"

// harness runs the suite on the driver opened from the Go CDK URL u, with
// the root as rootdirectory, and keys listed by keys.
func harness(u string, keys func(t conformance.TB, root string) []string) conformance.Harness {
	h := conformance.Harness{
		Open: func(t conformance.TB, root string) driver.StorageDriver {
			return open(t, u, root)
		},
		ChunkSize: 5 << 20,
		Inspector: &conformance.Inspector{Keys: keys},
	}
	if os.Getenv("STOWAGE_CONFORMANCE_LARGE") == "" {
		h.LargeSize = 16 << 20
	}
	return h
}

// open opens the driver registered as gocloud, as a configuration would.
func open(t conformance.TB, u, root string) driver.StorageDriver {
	t.Helper()
	d, err := driver.Open(t.Context(), gocloud.Name, map[string]any{
		"url":           u,
		"rootdirectory": root,
		"chunksize":     "5MiB",
	})
	if err != nil {
		t.Fatalf("open %s: %v", u, err)
	}
	t.Cleanup(func() { _ = driver.Close(d) })
	return d
}

// TestConformanceMem runs the suite on a memblob bucket. A mem:// URL
// opens a new, empty bucket each time (the Go CDK's semantics), so every
// driver instance of a case shares one bucket through FromBucket.
func TestConformanceMem(t *testing.T) {
	b := memblob.OpenBucket(nil)
	t.Cleanup(func() { b.Close() })
	h := harness("", bucketKeys(b))
	h.Open = func(t conformance.TB, root string) driver.StorageDriver {
		d, err := gocloud.FromBucket(b, gocloud.Params{URL: "mem://", RootDirectory: root, ChunkSize: 5 << 20})
		if err != nil {
			t.Fatalf("FromBucket: %v", err)
		}
		return d
	}
	h.NoRedirect = true // memblob does not sign URLs
	conformance.Run(t, h)
	// The upload cases with no rootdirectory, in a bucket of their own:
	// upload state sits at the top of the bucket, beside the paths.
	t.Run("EmptyRoot", func(t *testing.T) {
		top := memblob.OpenBucket(nil)
		t.Cleanup(func() { top.Close() })
		h := h
		h.Open = func(t conformance.TB, _ string) driver.StorageDriver {
			d, err := gocloud.FromBucket(top, gocloud.Params{URL: "mem://", ChunkSize: 5 << 20})
			if err != nil {
				t.Fatalf("FromBucket: %v", err)
			}
			return d
		}
		h.Select = conformance.UploadCases
		h.Inspector = (&conformance.Inspector{Keys: bucketKeys(top)}).At("")
		conformance.Run(t, h)
	})
}

// TestConformanceFile runs the suite on a fileblob directory. metadata=skip
// keeps fileblob from writing its .attrs files beside each object: the
// driver sets no attribute it would need them for.
func TestConformanceFile(t *testing.T) {
	dir := t.TempDir()
	u := (&url.URL{Scheme: "file", Path: filepath.ToSlash(dir), RawQuery: "metadata=skip"}).String()
	h := harness(u, func(t conformance.TB, root string) []string {
		var keys []string
		err := filepath.WalkDir(filepath.Join(dir, root), func(p string, e fs.DirEntry, err error) error {
			if err != nil {
				if os.IsNotExist(err) {
					return nil
				}
				return err
			}
			if !e.IsDir() {
				rel, _ := filepath.Rel(dir, p)
				keys = append(keys, filepath.ToSlash(rel))
			}
			return nil
		})
		if err != nil {
			t.Fatalf("inspector: %v", err)
		}
		return keys
	})
	h.NoRedirect = true // fileblob signs URLs only for a base_url it serves itself
	conformance.Run(t, h)
}

// TestConformanceMinIO runs the suite through s3blob on MinIO. The Go CDK
// takes the endpoint, region and path style from the URL and the
// credentials from the environment (AWS_ACCESS_KEY_ID, ...).
func TestConformanceMinIO(t *testing.T) {
	m := emulator.StartMinIO(t)
	m.MakeBucket(t, testBucket)
	t.Setenv("AWS_ACCESS_KEY_ID", m.AccessKey)
	t.Setenv("AWS_SECRET_ACCESS_KEY", m.SecretKey)
	t.Setenv("AWS_SESSION_TOKEN", "")
	u := minioURL(m, testBucket)
	conformance.Run(t, harness(u, s3Keys(m, testBucket)))
	t.Run("Purge", func(t *testing.T) { testPurge(t, u) })
	// The upload cases with no rootdirectory, in a bucket of their own.
	t.Run("EmptyRoot", func(t *testing.T) {
		top := m.MakeBucket(t, "stowage-top")
		h := harness(minioURL(m, top), nil)
		h.Open = func(t conformance.TB, _ string) driver.StorageDriver { return open(t, minioURL(m, top), "") }
		h.Select = conformance.UploadCases
		h.Inspector = (&conformance.Inspector{Keys: s3Keys(m, top)}).At("")
		conformance.Run(t, h)
	})
}

// minioURL is the s3blob URL of a bucket on m.
func minioURL(m *emulator.MinIO, bucket string) string {
	q := url.Values{}
	q.Set("endpoint", m.Endpoint)
	q.Set("region", m.Region)
	q.Set("use_path_style", "true")
	return (&url.URL{Scheme: "s3", Host: bucket, RawQuery: q.Encode()}).String()
}

// s3Keys lists the keys of a bucket on m with MinIO's own client.
func s3Keys(m *emulator.MinIO, bucket string) func(t conformance.TB, root string) []string {
	return func(t conformance.TB, root string) []string {
		var keys []string
		p := s3.NewListObjectsV2Paginator(m.Client(), &s3.ListObjectsV2Input{Bucket: aws.String(bucket), Prefix: aws.String(root)})
		for p.HasMorePages() {
			page, err := p.NextPage(t.Context())
			if err != nil {
				t.Fatalf("inspector: %v", err)
			}
			for _, o := range page.Contents {
				keys = append(keys, aws.ToString(o.Key))
			}
		}
		return keys
	}
}

// TestConformanceFakeGCS runs the suite through gcsblob on fake-gcs-server.
// gcsblob has no endpoint parameter: it honours STORAGE_EMULATOR_HOST
// (and then sends no credentials). Commit composes the parts with the
// bucket's own client. Without a private key gcsblob signs no URL.
func TestConformanceFakeGCS(t *testing.T) {
	srv := emulator.StartFakeGCS(t)
	client, err := storage.NewClient(context.Background(), option.WithEndpoint(srv.Endpoint), option.WithoutAuthentication())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Close() })
	if err := client.Bucket(testBucket).Create(context.Background(), "test-project", nil); err != nil {
		t.Fatalf("create bucket: %v", err)
	}
	t.Setenv("STORAGE_EMULATOR_HOST", srv.Host)
	h := harness("gs://"+testBucket, func(t conformance.TB, root string) []string {
		var keys []string
		it := client.Bucket(testBucket).Objects(t.Context(), &storage.Query{Prefix: root})
		for {
			attrs, err := it.Next()
			if err == iterator.Done {
				break
			}
			if err != nil {
				t.Fatalf("inspector: %v", err)
			}
			keys = append(keys, attrs.Name)
		}
		return keys
	})
	h.NoRedirect = true
	conformance.Run(t, h)
	t.Run("ComposeManyParts", func(t *testing.T) {
		testManyParts(t, open(t, "gs://"+testBucket, "compose"), h.Inspector.Keys, "compose")
	})
}

// TestConformanceAzurite runs the suite through azureblob on Azurite. The
// URL names the endpoint (protocol, domain: a 127.0.0.1 domain gives the
// emulator's path-style account URL); the account and key come from
// AZURE_STORAGE_ACCOUNT and AZURE_STORAGE_KEY, which azureblob reads at
// its first open in the process. Redirect URLs are SAS URLs, for GET and
// HEAD alike.
func TestConformanceAzurite(t *testing.T) {
	srv := emulator.StartAzurite(t, emulator.AzuriteOptions{})
	t.Setenv("AZURE_STORAGE_ACCOUNT", emulator.AzuriteAccount)
	t.Setenv("AZURE_STORAGE_KEY", emulator.AzuriteKey)
	cred, err := azblob.NewSharedKeyCredential(emulator.AzuriteAccount, emulator.AzuriteKey)
	if err != nil {
		t.Fatal(err)
	}
	client, err := azblob.NewClientWithSharedKeyCredential(srv.ServiceURL, cred, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.CreateContainer(context.Background(), testBucket, nil); err != nil {
		t.Fatalf("create container: %v", err)
	}
	su, err := url.Parse(srv.ServiceURL)
	if err != nil {
		t.Fatal(err)
	}
	u := fmt.Sprintf("azblob://%s?protocol=http&domain=%s", testBucket, su.Host)
	conformance.Run(t, harness(u, func(t conformance.TB, root string) []string {
		var keys []string
		pager := client.NewListBlobsFlatPager(testBucket, &azblob.ListBlobsFlatOptions{
			Prefix:  &root,
			Include: azblob.ListBlobsInclude{UncommittedBlobs: true},
		})
		for pager.More() {
			page, err := pager.NextPage(t.Context())
			if err != nil {
				t.Fatalf("inspector: %v", err)
			}
			for _, b := range page.Segment.BlobItems {
				keys = append(keys, *b.Name)
			}
		}
		return keys
	}))
}

// bucketKeys lists the keys of a Go CDK bucket that start with root: for
// memblob the bucket is the store's own client.
func bucketKeys(b *blob.Bucket) func(t conformance.TB, root string) []string {
	return func(t conformance.TB, root string) []string {
		var keys []string
		it := b.List(&blob.ListOptions{Prefix: root})
		for {
			obj, err := it.Next(t.Context())
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("inspector: %v", err)
			}
			keys = append(keys, obj.Key)
		}
		slices.Sort(keys)
		return keys
	}
}
