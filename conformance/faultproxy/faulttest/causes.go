package faulttest

import (
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// CheckCause fails t unless err matches cause with errors.Is, is one line,
// contains says and does not contain secret (when not empty).
func CheckCause(t testing.TB, op string, err, cause error, says, secret string) {
	t.Helper()
	switch {
	case !errors.Is(err, cause):
		t.Errorf("%s: %v; want errors.Is %v", op, err, cause)
	case strings.Contains(err.Error(), "\n"):
		t.Errorf("%s: not one line: %q", op, err)
	case !strings.Contains(err.Error(), says):
		t.Errorf("%s: %v; want it to say %q", op, err, says)
	case secret != "" && strings.Contains(err.Error(), secret):
		t.Errorf("%s: the error shows the secret: %v", op, err)
	default:
		t.Logf("%s: %v", op, err)
	}
}

// ClosedURL returns http://127.0.0.1:PORT where nothing listens.
func ClosedURL(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return fmt.Sprintf("http://%s", addr)
}

// TLSURL returns the https URL of a server with a certificate no client
// trusts, for the TLS failure.
func TLSURL(t testing.TB) string {
	t.Helper()
	srv := httptest.NewUnstartedServer(http.NotFoundHandler())
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv.URL
}
