package s3

import (
	"errors"
	"testing"

	"github.com/stowage/stowage/conformance/faultproxy/faulttest"
	"github.com/stowage/stowage/driver"
)

// TestCauses checks that each way of being refused is one clear line that
// names its cause, matches the driver's typed cause with errors.Is, and
// shows no secret: unknown access key, bad signature, a session token the
// server does not take, a missing permission (with the IAM action), a
// missing bucket, an endpoint nothing listens on, a TLS failure.
func TestCauses(t *testing.T) {
	s := startServer(t)
	const secret = "stowage-causes-secret-0123456789"
	for _, tc := range []struct {
		name   string
		params map[string]any
		cause  error
		says   string
	}{
		{"UnknownKey", with(s.params("c"), "accesskey", "NOSUCHKEYSTOWAGE", "secretkey", secret), driver.ErrCredentials, "unknown access key ID"},
		{"BadSignature", with(s.params("c"), "secretkey", secret), driver.ErrCredentials, "bad signature"},
		{"BadToken", with(s.params("c"), "sessiontoken", secret), driver.ErrCredentials, "session token"},
		{"NoBucket", with(s.params("c"), "bucket", "no-such-bucket"), driver.ErrNoBucket, "bucket does not exist"},
		{"Unreachable", with(s.params("c"), "regionendpoint", faulttest.ClosedURL(t)), driver.ErrUnreachable, "connection refused"},
		{"TLS", with(s.params("c"), "regionendpoint", faulttest.TLSURL(t)), driver.ErrTLS, "certificate"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d := driver.Wrap(open(t, tc.params))
			calls := map[string]func() error{
				"Stat":   func() error { _, err := d.Stat(t.Context(), "/x"); return err },
				"List":   func() error { _, err := d.List(t.Context(), "/"); return err },
				"Writer": func() error { return putViaWriter(t, d) },
			}
			if tc.cause == driver.ErrUnreachable {
				// Retried for 10 s or so: one call is enough.
				calls = map[string]func() error{"Stat": calls["Stat"]}
			}
			for op, call := range calls {
				err := call()
				checkCause(t, op, err, tc.cause, tc.says, secret)
			}
			// stowage check's preflight stops at the first action with
			// the cause, in one result.
			if tc.cause != driver.ErrCredentials || tc.name == "UnknownKey" {
				res := open(t, tc.params).Preflight(t.Context())
				if len(res) != 1 || !errors.Is(res[0].Err, tc.cause) {
					t.Errorf("preflight: %d results, first %v; want one, %v", len(res), res[0].Err, tc.cause)
				}
			}
		})
	}
	t.Run("Permission", func(t *testing.T) {
		const missing = "s3:PutObject"
		d := driver.Wrap(open(t, s.policyParams(t, "perm", seedPolicy(s.bucket, missing))))
		err := d.PutContent(t.Context(), "/x", []byte("x"))
		checkCause(t, "PutContent", err, driver.ErrPermission, "IAM permission "+missing, "")
	})
}

func putViaWriter(t *testing.T, d driver.StorageDriver) error {
	w, err := d.Writer(t.Context(), "/w", false)
	if err != nil {
		return err
	}
	if _, err := w.Write([]byte("x")); err != nil {
		return err
	}
	return w.Commit(t.Context())
}

func checkCause(t *testing.T, op string, err, cause error, says, secret string) {
	t.Helper()
	faulttest.CheckCause(t, op, err, cause, says, secret)
}
