package oss_test

import (
	"os"
	"testing"

	"github.com/stowage/stowage/conformance"
	"github.com/stowage/stowage/driver"
	"github.com/stowage/stowage/oss/osstest"
)

func harness(t *testing.T, srv *osstest.Server, extra map[string]any) conformance.Harness {
	return conformance.Harness{
		Open:      func(t conformance.TB, root string) driver.StorageDriver { return open(t, srv, root, extra) },
		ChunkSize: 5 << 20,
		LargeSize: largeSize(),
		Inspector: inspector(t, srv),
	}
}

func largeSize() int64 {
	if os.Getenv("STOWAGE_CONFORMANCE_LARGE") != "" {
		return 0
	}
	return 16 << 20
}

func TestConformance(t *testing.T) {
	conformance.Run(t, harness(t, startServer(t), nil))
}

// TestConformanceEncryptedMultipartMove runs the suite with KMS encryption
// and every Move done with UploadPartCopy.
func TestConformanceEncryptedMultipartMove(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	conformance.Run(t, harness(t, startServer(t), map[string]any{
		"encrypt": true, "encryptionkeyid": "kms-key-1",
		"multipartcopythresholdsize": 0, "multipartcopychunksize": "5MiB",
	}))
}

// TestConformanceEmptyRoot runs the upload cases with no rootdirectory, on
// a server of their own: upload state sits at the top of the bucket, beside
// the paths, and must stay hidden and leave nothing behind.
func TestConformanceEmptyRoot(t *testing.T) {
	srv := startServer(t)
	h := harness(t, srv, nil)
	h.Open = func(t conformance.TB, _ string) driver.StorageDriver { return open(t, srv, "", nil) }
	h.Select = conformance.UploadCases
	h.Inspector = h.Inspector.At("")
	conformance.Run(t, h)
}
