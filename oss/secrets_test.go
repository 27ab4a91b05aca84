package oss_test

import (
	"regexp"
	"testing"

	"github.com/stowage/stowage/conformance/faultproxy/faulttest"
	"github.com/stowage/stowage/driver"
	"github.com/stowage/stowage/oss"
	"github.com/stowage/stowage/oss/osstest"
)

// TestSecrets runs the driver through the work of a registry and through
// failing requests, logging at debug level: the access key secret and
// the request signatures show in no log line, error or printed form. (The
// SDK's own logger is not wired: it logs nothing.)
func TestSecrets(t *testing.T) {
	srv := startServer(t)
	faulttest.Secrets(t, faulttest.SecretsHarness{
		Target: srv.URL,
		Open: func(t testing.TB, proxyURL, root string, opts ...driver.Option) driver.StorageDriver {
			d, err := driver.Open(t.Context(), oss.Name, params(srv, root, map[string]any{"endpoint": proxyURL}), opts...)
			if err != nil {
				t.Fatalf("open oss: %v", err)
			}
			return d
		},
		Secrets:   func() []string { return []string{osstest.DefaultAccessKeySecret} },
		Patterns:  []*regexp.Regexp{regexp.MustCompile(`OSS ` + osstest.DefaultAccessKeyID + `:[A-Za-z0-9+/=]{20,}`), regexp.MustCompile(`Signature=[A-Za-z0-9%+/=]{20,}`)},
		ChunkSize: 5 << 20,
	})
}
