package driver

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"strings"
	"syscall"
)

// Causes of a failure that an operator fixes in different places. A
// driver error caused by one of them matches it with errors.Is, and its
// message says which in its first words, so that tools and registries can
// tell "fix the key" from "grant the permission", "create the bucket",
// "check the endpoint" and "check the certificate".
var (
	// ErrCredentials: the store does not accept the credentials: an
	// unknown access key, a secret that does not match (bad signature),
	// an expired or invalid token, a wrong password.
	ErrCredentials = errors.New("credentials rejected")
	// ErrPermission: the credentials are accepted but lack a permission;
	// the message names the action when the store says it.
	ErrPermission = errors.New("permission denied")
	// ErrNoBucket: the bucket or container does not exist.
	ErrNoBucket = errors.New("bucket does not exist")
	// ErrUnreachable: no connection to the endpoint (refused, no such
	// host, no route, timed out connecting).
	ErrUnreachable = errors.New("endpoint unreachable")
	// ErrTLS: the TLS handshake failed: a certificate the client does not
	// trust or for another name, or a server that does not speak TLS.
	ErrTLS = errors.New("TLS failure")
)

// CauseError is a provider error whose cause is known: it matches Cause
// (one of the Err values above) with errors.Is, and the provider error
// with errors.As.
type CauseError struct {
	// Cause is ErrCredentials, ErrPermission, ErrNoBucket, ErrUnreachable
	// or ErrTLS.
	Cause error
	// Detail says what exactly, in the operator's terms, such as
	// "unknown access key ID" or "needs IAM permission s3:ListBucket".
	Detail string
	// Err is the provider's error.
	Err error
}

// Error is one line: the cause, the detail, then the first line of the
// provider's message.
func (e *CauseError) Error() string {
	msg := e.Cause.Error()
	if e.Detail != "" {
		msg += ": " + e.Detail
	}
	if e.Err != nil {
		first, _, _ := strings.Cut(strings.TrimSpace(e.Err.Error()), "\n")
		msg += " (" + strings.TrimSpace(first) + ")"
	}
	return msg
}

// Is reports whether target is the cause.
func (e *CauseError) Is(target error) bool { return target == e.Cause }

// Unwrap returns the provider error.
func (e *CauseError) Unwrap() error { return e.Err }

// Classifier is implemented by drivers that can tell the cause of their
// provider's errors (see CauseError). Base calls it for every error a
// driver returns, before it falls back to the causes every HTTP client
// shares (TransportCause).
type Classifier interface {
	// Classify returns err with its cause (a *CauseError), or err as it
	// is when the cause is none of the known ones.
	Classify(err error) error
}

// Because returns err as a CauseError of cause with detail, unless err
// already has a cause.
func Because(cause error, detail string, err error) error {
	var ce *CauseError
	if err == nil || errors.As(err, &ce) {
		return err
	}
	return &CauseError{Cause: cause, Detail: detail, Err: err}
}

// TransportCause returns err as a CauseError when it is a failure to
// connect (ErrUnreachable) or a TLS failure (ErrTLS), and err as it is
// otherwise.
func TransportCause(err error) error {
	var ce *CauseError
	if err == nil || errors.As(err, &ce) || errors.Is(err, context.Canceled) {
		return err // a call given up by its caller says nothing of the endpoint
	}
	var unknownCA x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var invalid x509.CertificateInvalidError
	var verify *tls.CertificateVerificationError
	var record tls.RecordHeaderError
	var dns *net.DNSError
	var op *net.OpError
	switch {
	case errors.As(err, &unknownCA), errors.As(err, &verify) && errors.As(verify.Err, &unknownCA):
		return Because(ErrTLS, "the server's certificate is signed by an authority this client does not trust", err)
	case errors.As(err, &hostname):
		return Because(ErrTLS, "the server's certificate is for another name", err)
	case errors.As(err, &invalid), errors.As(err, &verify):
		return Because(ErrTLS, "the server's certificate is not valid", err)
	case errors.As(err, &record), strings.Contains(err.Error(), "server gave HTTP response to HTTPS client"):
		return Because(ErrTLS, "the server does not speak TLS (an http:// endpoint given as https://?)", err)
	case errors.As(err, &dns):
		return Because(ErrUnreachable, "host name "+dns.Name+" does not resolve", err)
	case errors.Is(err, syscall.ECONNREFUSED):
		return Because(ErrUnreachable, "connection refused", err)
	case errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH):
		return Because(ErrUnreachable, "no route to the host", err)
	case errors.As(err, &op) && op.Op == "dial":
		if errors.Is(err, context.DeadlineExceeded) || op.Timeout() {
			return Because(ErrUnreachable, "timed out connecting", err)
		}
		return Because(ErrUnreachable, "cannot connect", err)
	}
	return err
}
