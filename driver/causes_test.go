package driver_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stowage/stowage/driver"
)

func TestTransportCause(t *testing.T) {
	l, _ := net.Listen("tcp", "127.0.0.1:0")
	closed := l.Addr().String()
	l.Close()
	tlsSrv := httptest.NewUnstartedServer(http.NotFoundHandler())
	tlsSrv.Config.ErrorLog = log.New(io.Discard, "", 0)
	tlsSrv.StartTLS()
	defer tlsSrv.Close()
	plain := httptest.NewServer(http.NotFoundHandler())
	defer plain.Close()
	for _, tc := range []struct {
		url   string
		cause error
		says  string
	}{
		{"http://" + closed, driver.ErrUnreachable, "connection refused"},
		{"http://no-such-host.invalid", driver.ErrUnreachable, "does not resolve"},
		{tlsSrv.URL, driver.ErrTLS, "not trust"},
		{strings.Replace(plain.URL, "http:", "https:", 1), driver.ErrTLS, "does not speak TLS"},
	} {
		_, err := http.Get(tc.url)
		got := driver.TransportCause(err)
		if !errors.Is(got, tc.cause) || !strings.Contains(got.Error(), tc.says) || strings.Contains(got.Error(), "\n") {
			t.Errorf("%s: %v; want %v saying %q on one line", tc.url, got, tc.cause, tc.says)
		}
	}
	for _, err := range []error{nil, errors.New("other"), context.Canceled, fmt.Errorf("x: %w", context.Canceled)} {
		if got := driver.TransportCause(err); got != err {
			t.Errorf("TransportCause(%v) = %v, want it as is", err, got)
		}
	}
}

func TestCauseError(t *testing.T) {
	inner := errors.New("api error InvalidAccessKeyId: unknown\nmore detail")
	err := fmt.Errorf("s3: Stat /x: %w", driver.Because(driver.ErrCredentials, "unknown access key ID", inner))
	if !errors.Is(err, driver.ErrCredentials) || errors.Is(err, driver.ErrPermission) || !errors.Is(err, inner) {
		t.Fatalf("errors.Is: %v", err)
	}
	if got, want := err.Error(), "s3: Stat /x: credentials rejected: unknown access key ID (api error InvalidAccessKeyId: unknown)"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	// A cause is given once.
	again := driver.Because(driver.ErrPermission, "x", err)
	if errors.Is(again, driver.ErrPermission) {
		t.Errorf("Because replaced a cause: %v", again)
	}
}
