package swift_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stowage/stowage/configmap"
	"github.com/stowage/stowage/conformance/emulator"
	"github.com/stowage/stowage/conformance/faultproxy/faulttest"
	"github.com/stowage/stowage/driver"
	"github.com/stowage/stowage/swift"
)

// TestCauses checks that each way of being refused is one clear line that
// names its cause and matches the driver's typed cause: a wrong password
// (New authenticates), an unreachable auth endpoint, a TLS failure.
func TestCauses(t *testing.T) {
	c := startCluster(t, emulator.SwiftOptions{})
	const secret = "stowage-causes-secret-0123456789"
	for _, tc := range []struct {
		name  string
		extra map[string]any
		cause error
		says  string
	}{
		{"WrongPassword", map[string]any{"password": secret}, driver.ErrCredentials, "refused the user name and password"},
		{"Unreachable", map[string]any{"authurl": faulttest.ClosedURL(t) + "/auth/v1.0"}, driver.ErrUnreachable, "connection refused"},
		{"TLS", map[string]any{"authurl": faulttest.TLSURL(t) + "/auth/v1.0"}, driver.ErrTLS, "certificate"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var p swift.Params
			if err := configmap.Decode(c.params("causes", tc.extra), &p); err != nil {
				t.Fatal(err)
			}
			_, err := swift.New(context.Background(), p)
			faulttest.CheckCause(t, "New", err, tc.cause, tc.says, secret)
			if err != nil && strings.Contains(err.Error(), c.s.Key) {
				t.Errorf("New: the error shows the password")
			}
		})
	}
}
