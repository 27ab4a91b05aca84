package azure_test

import (
	"strings"
	"testing"

	"github.com/stowage/stowage/conformance/emulator"
	"github.com/stowage/stowage/conformance/faultproxy/faulttest"
	"github.com/stowage/stowage/driver"
)

// TestCauses checks that each way of being refused is one clear line that
// names its cause and matches the driver's typed cause: a wrong account
// key, a missing container, an unreachable endpoint, a TLS failure.
func TestCauses(t *testing.T) {
	srv, _ := startServer(t, emulator.AzuriteOptions{})
	wrong := strings.Repeat("A", 86) + "=="
	for _, tc := range []struct {
		name  string
		extra map[string]any
		cause error
		says  string
	}{
		{"WrongKey", map[string]any{"accountkey": wrong}, driver.ErrCredentials, "bad signature"},
		{"NoContainer", map[string]any{"container": "no-such-container"}, driver.ErrNoBucket, "bucket does not exist"},
		{"Unreachable", map[string]any{"serviceurl": faulttest.ClosedURL(t) + "/" + emulator.AzuriteAccount}, driver.ErrUnreachable, "connection refused"},
		{"TLS", map[string]any{"serviceurl": faulttest.TLSURL(t) + "/" + emulator.AzuriteAccount}, driver.ErrTLS, "certificate"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d := open(t, srv, "c", tc.extra)
			_, err := d.Stat(t.Context(), "/x")
			faulttest.CheckCause(t, "Stat", err, tc.cause, tc.says, wrong)
			_, err = d.List(t.Context(), "/")
			faulttest.CheckCause(t, "List", err, tc.cause, tc.says, wrong)
			err = d.PutContent(t.Context(), "/x", []byte("x"))
			faulttest.CheckCause(t, "PutContent", err, tc.cause, tc.says, wrong)
		})
	}
}
