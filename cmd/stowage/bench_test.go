package main

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/stowage/stowage/conformance/emulator"
)

// TestBenchBesideTheSDK: on s3, bench writes and reads the blobs with the
// driver's SDK client too and prints the ratios; --latency delays every
// request; nothing is left in the bucket. On the filesystem there is no SDK
// line. TestBenchBesideEverySDK does the same on the other providers.
func TestBenchBesideTheSDK(t *testing.T) {
	m := emulator.StartMinIO(t)
	bucket := m.MakeBucket(t, "bench-sdk")
	// 6 MiB over 5 MiB parts: multipart uploads on both sides.
	r := stowage(t, append(minioSets(m, bucket), "bench", "--count", "2", "--size", "6MiB", "--latency", "2ms")...)
	ok(t, r, "bench on MinIO")
	if !strings.Contains(r.stdout, "2ms added each way") || !strings.Contains(r.stdout, "beside the aws-sdk-go-v2 client") {
		t.Errorf("bench does not say how it ran:\n%s", r.stdout)
	}
	checkSDKLines(t, r.stdout)
	objs, err := m.Client().ListObjectsV2(context.Background(), &s3.ListObjectsV2Input{Bucket: aws.String(bucket)})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range objs.Contents {
		t.Errorf("bench left %s", aws.ToString(o.Key))
	}

	r = stowage(t, "--data-dir", t.TempDir(), "bench", "--count", "1", "--size", "1MiB", "--latency", "1ms")
	ok(t, r, "bench on the filesystem")
	if strings.Contains(r.stdout, "sdk") || !strings.Contains(r.stdout, "no effect") {
		t.Errorf("an SDK comparison, or a latency, on the filesystem:\n%s", r.stdout)
	}
	r = stowage(t, "--data-dir", t.TempDir(), "bench", "--latency", "-1s")
	if r.code != 2 || !strings.Contains(r.stderr, "--latency") {
		t.Errorf("a negative --latency: %v", r)
	}
}

// checkSDKLines fails t unless the write and read lines of bench's output
// carry the SDK's figures and the ratio.
func checkSDKLines(t *testing.T, stdout string) {
	t.Helper()
	for _, phase := range []string{"write", "read"} {
		if !regexp.MustCompile(`(?m)^` + phase + ` .* MiB/s .* sdk .* MiB/s .* stowage/sdk [0-9]+\.[0-9]{2}$`).MatchString(stdout) {
			t.Errorf("no %s line with the SDK's figures and the ratio:\n%s", phase, stdout)
		}
	}
}
