package s3

import (
	"os"
	"testing"

	"github.com/stowage/stowage/conformance"
	"github.com/stowage/stowage/driver"
)

func (s *server) harness(open func(t conformance.TB, root string) driver.StorageDriver) conformance.Harness {
	h := conformance.Harness{Open: open, ChunkSize: 5 << 20, Inspector: s.inspector()}
	if os.Getenv("STOWAGE_CONFORMANCE_LARGE") == "" {
		h.LargeSize = 16 << 20
	}
	return h
}

// TestConformance runs the whole conformance suite against MinIO, with
// path-style and with virtual-hosted-style addressing.
func TestConformance(t *testing.T) {
	s := startServer(t)
	t.Run("PathStyle", func(t *testing.T) { testConformancePathStyle(t, s) })
	t.Run("VirtualHosted", func(t *testing.T) { testConformanceVirtualHosted(t, s) })
	// The upload cases with no rootdirectory, in a bucket of their own:
	// upload state sits at the top of the bucket, beside the paths.
	t.Run("EmptyRoot", func(t *testing.T) {
		top := &server{m: s.m, bucket: s.m.MakeBucket(t, "stowage-top")}
		h := top.harness(func(t conformance.TB, _ string) driver.StorageDriver {
			return driver.Wrap(open(t.(testing.TB), top.params("")))
		})
		h.Select = conformance.UploadCases
		h.Inspector = h.Inspector.At("")
		conformance.Run(t, h)
	})
	// Credentials holding exactly the IAM policy of the reference
	// registry's documentation.
	t.Run("SeedPolicy", func(t *testing.T) {
		conformance.Run(t, s.harness(func(ct conformance.TB, root string) driver.StorageDriver {
			t := ct.(testing.TB)
			return driver.Wrap(open(t, s.policyParams(t, root, seedPolicy(s.bucket))))
		}))
	})
}

func testConformancePathStyle(t *testing.T, s *server) {
	conformance.Run(t, s.harness(func(t conformance.TB, root string) driver.StorageDriver {
		return driver.Wrap(open(t.(testing.TB), s.params(root)))
	}))
}

func testConformanceVirtualHosted(t *testing.T, s *server) {
	conformance.Run(t, s.harness(func(t conformance.TB, root string) driver.StorageDriver {
		p := with(s.params(root),
			"regionendpoint", s.m.HostEndpoint,
			"forcepathstyle", false,
			// Redirect URLs must resolve for a plain HTTP client.
			"redirectendpoint", s.m.Endpoint)
		d := open(t.(testing.TB), p, WithHTTPClient(s.m.HTTPClient()))
		return driver.Wrap(d)
	}))
}
