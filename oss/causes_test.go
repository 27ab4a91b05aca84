package oss_test

import (
	"testing"

	"github.com/stowage/stowage/conformance/faultproxy/faulttest"
	"github.com/stowage/stowage/driver"
)

// TestCauses checks that each way of being refused is one clear line that
// names its cause and matches the driver's typed cause: unknown access key
// ID, bad signature, missing bucket, unreachable endpoint, TLS failure.
func TestCauses(t *testing.T) {
	srv := startServer(t)
	const secret = "stowage-causes-secret-0123456789"
	for _, tc := range []struct {
		name  string
		extra map[string]any
		cause error
		says  string
	}{
		{"UnknownKey", map[string]any{"accesskeyid": "NOSUCHKEYSTOWAGE", "accesskeysecret": secret}, driver.ErrCredentials, "unknown access key ID"},
		{"BadSignature", map[string]any{"accesskeysecret": secret}, driver.ErrCredentials, "bad signature"},
		{"NoBucket", map[string]any{"bucket": "no-such-bucket"}, driver.ErrNoBucket, "bucket does not exist"},
		{"Unreachable", map[string]any{"endpoint": faulttest.ClosedURL(t)}, driver.ErrUnreachable, "connection refused"},
		{"TLS", map[string]any{"endpoint": faulttest.TLSURL(t)}, driver.ErrTLS, "certificate"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d := open(t, srv, "c", tc.extra)
			_, err := d.Stat(t.Context(), "/x")
			faulttest.CheckCause(t, "Stat", err, tc.cause, tc.says, secret)
			if tc.cause == driver.ErrUnreachable {
				return // retried for 10 s or so: one call is enough
			}
			_, err = d.List(t.Context(), "/")
			faulttest.CheckCause(t, "List", err, tc.cause, tc.says, secret)
			err = d.PutContent(t.Context(), "/x", []byte("x"))
			faulttest.CheckCause(t, "PutContent", err, tc.cause, tc.says, secret)
		})
	}
}
