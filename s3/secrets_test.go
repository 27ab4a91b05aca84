package s3

import (
	"regexp"
	"testing"

	"github.com/stowage/stowage/conformance/faultproxy/faulttest"
	"github.com/stowage/stowage/driver"
)

// TestSecrets runs the driver at its most verbose log levels, with
// temporary credentials (secret key and session token), through the work
// of a registry and through failing requests: no secret and no request
// signature shows in any log line, error or printed form.
func TestSecrets(t *testing.T) {
	s := startServer(t)
	for _, level := range []string{"debugwithsigning", "debugwithhttpbody", "debugwithrequestretries"} {
		t.Run(level, func(t *testing.T) {
			var p map[string]any
			faulttest.Secrets(t, faulttest.SecretsHarness{
				Target: s.m.Endpoint,
				Open: func(t testing.TB, proxyURL, root string, opts ...driver.Option) driver.StorageDriver {
					p = with(s.policyParams(t, root, seedPolicy(s.bucket)), "regionendpoint", proxyURL, "loglevel", level)
					return driver.Wrap(open(t, p, opts...), opts...)
				},
				Secrets:   func() []string { return []string{p["secretkey"].(string), p["sessiontoken"].(string)} },
				Patterns:  []*regexp.Regexp{regexp.MustCompile(`Signature=[0-9a-f]{64}`)},
				ChunkSize: 5 << 20,
			})
		})
	}
}
