package swift_test

import (
	"context"
	"regexp"
	"strings"
	"testing"

	ncw "github.com/ncw/swift/v2"

	"github.com/stowage/stowage/conformance/emulator"
	"github.com/stowage/stowage/conformance/faultproxy/faulttest"
	"github.com/stowage/stowage/driver"
)

// TestSecrets runs the driver through the work of a registry and through
// failing requests, logging at debug level: the password, the auth token
// and the Temp-URL key show in no log line, error or printed form. (The
// SDK logs nothing; the driver logs its retries.)
func TestSecrets(t *testing.T) {
	c := startCluster(t, emulator.SwiftOptions{})
	const tempURLKey = "stowage-tempurl-secret-5f1e2d"
	faulttest.Secrets(t, faulttest.SecretsHarness{
		Target: c.s.ProxyURL,
		Open: func(t testing.TB, proxyURL, root string, opts ...driver.Option) driver.StorageDriver {
			p := map[string]any{"prefix": root, "chunksize": testChunk, "secretkey": tempURLKey,
				"authurl": strings.Replace(c.s.AuthURL, c.s.ProxyURL, proxyURL, 1)}
			return c.openWith(t, "secrets", p, opts...)
		},
		Secrets: func() []string {
			conn := &ncw.Connection{UserName: c.s.User, ApiKey: c.s.Key, AuthUrl: c.s.AuthURL}
			if err := conn.Authenticate(context.Background()); err != nil {
				t.Errorf("authenticate: %v", err)
			}
			return []string{c.s.Key, conn.AuthToken, tempURLKey}
		},
		Patterns:  []*regexp.Regexp{regexp.MustCompile(`AUTH_tk[0-9a-f]{16,}`)},
		ChunkSize: testChunk,
	})
}
