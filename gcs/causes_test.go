package gcs_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stowage/stowage/conformance/faultproxy/faulttest"
	"github.com/stowage/stowage/driver"
)

// TestCauses checks that each way of being refused is one clear line that
// names its cause and matches the driver's typed cause: a key the token
// endpoint refuses, a missing bucket, an unreachable endpoint, a TLS
// failure. (fake-gcs-server checks no credentials or permissions: a 401
// or 403 of GCS itself is classified by the same code, from its status.)
func TestCauses(t *testing.T) {
	srv, _ := startServer(t)
	refusing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		_ = json.NewEncoder(w).Encode(map[string]string{"error": "invalid_grant", "error_description": "Invalid JWT Signature."})
	}))
	t.Cleanup(refusing.Close)
	for _, tc := range []struct {
		name  string
		extra map[string]any
		cause error
		says  string
	}{
		{"RefusedKey", map[string]any{"credentials": serviceAccountJSON(t, refusing.URL+"/token")}, driver.ErrCredentials, "token endpoint refused"},
		{"NoBucket", map[string]any{"bucket": "no-such-bucket"}, driver.ErrNoBucket, "bucket does not exist"},
		{"Unreachable", map[string]any{"endpoint": faulttest.ClosedURL(t) + "/storage/v1/"}, driver.ErrUnreachable, "connection refused"},
		{"TLS", map[string]any{"endpoint": faulttest.TLSURL(t) + "/storage/v1/"}, driver.ErrTLS, "certificate"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d := open(t, srv, "c", tc.extra)
			_, err := d.Stat(t.Context(), "/x")
			faulttest.CheckCause(t, "Stat", err, tc.cause, tc.says, "")
			if tc.cause == driver.ErrUnreachable {
				return // retried for 10 s or so: one call is enough
			}
			_, err = d.List(t.Context(), "/")
			faulttest.CheckCause(t, "List", err, tc.cause, tc.says, "")
			err = d.PutContent(t.Context(), "/x", []byte("x"))
			if tc.cause == driver.ErrNoBucket {
				// fake-gcs-server answers an upload to a missing bucket "404
				// Not Found" with no word of the bucket (GCS says "The
				// specified bucket does not exist", which is classified).
				if err == nil {
					t.Errorf("PutContent to a missing bucket succeeded")
				}
				return
			}
			faulttest.CheckCause(t, "PutContent", err, tc.cause, tc.says, "")
		})
	}
}
