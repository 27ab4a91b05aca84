package faultproxy

import (
	"fmt"
	"net/http"
)

// Fault is a kind of fault the proxy injects.
type Fault int

// The faults, described in the package documentation.
const (
	None Fault = iota
	InternalError
	SlowDown
	TooManyRequests
	ResetRequest
	ResetResponse
	Truncate
	Delay
	Stall
	Corrupt
	numFaults
)

// Transient are the faults a client must retry (or resume) through: every
// kind but the slow ones (Delay, Stall).
var Transient = []Fault{InternalError, SlowDown, TooManyRequests, ResetRequest, ResetResponse, Truncate}

// All is every kind of fault but Corrupt, which a client survives only
// where every body it sends carries a checksum the server checks.
var All = []Fault{InternalError, SlowDown, TooManyRequests, ResetRequest, ResetResponse, Truncate, Delay, Stall}

var faultNames = [numFaults]string{"none", "internal_error", "slow_down", "too_many_requests",
	"reset_request", "reset_response", "truncate", "delay", "stall", "corrupt"}

// String returns the fault's name, such as "slow_down".
func (f Fault) String() string {
	if f >= None && f < numFaults {
		return faultNames[f]
	}
	return fmt.Sprintf("fault(%d)", int(f))
}

// ParseFault returns the fault named s (as String names it).
func ParseFault(s string) (Fault, error) {
	for f, name := range faultNames {
		if name == s {
			return Fault(f), nil
		}
	}
	return None, fmt.Errorf("faultproxy: unknown fault %q", s)
}

// writeError answers with the error of an error fault: the status, an
// S3-style XML error document (S3, OSS) and the error code headers other
// clients read (Azure's x-ms-error-code).
func writeError(w http.ResponseWriter, r *http.Request, f Fault) {
	status, code, azure := http.StatusInternalServerError, "InternalError", "InternalError"
	switch f {
	case SlowDown:
		status, code, azure = http.StatusServiceUnavailable, "SlowDown", "ServerBusy"
	case TooManyRequests:
		status, code, azure = http.StatusTooManyRequests, "TooManyRequests", "ServerBusy"
	}
	h := w.Header()
	h.Set("Content-Type", "application/xml")
	h.Set("x-ms-error-code", azure)
	h.Set("Retry-After", "0")
	body := fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8"?>`+"\n"+
		`<Error><Code>%s</Code><Message>faultproxy: injected %s</Message><RequestId>faultproxy</RequestId></Error>`, code, f)
	if r.Method == http.MethodHead {
		w.WriteHeader(status)
		return
	}
	h.Set("Content-Length", fmt.Sprint(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}
