// Package redact hides credentials in log lines: the values a program
// knows to be secret (parameters declared secret, credentials from the
// environment) and what request logs carry that works as a credential
// (signatures, session and auth tokens, Authorization headers). It is the
// one place the stowage command and the adapters that log an SDK's request
// dumps (s3's loglevel) hide them.
package redact

import (
	"context"
	"fmt"
	"log/slog"
	"regexp"
	"slices"
	"strings"
	"sync"
)

// Mask replaces every hidden value.
const Mask = "<redacted>"

// credentialPatterns match what request logs carry that works as a
// credential: signatures (headers and presigned query strings), session and
// auth tokens, and Authorization headers.
var credentialPatterns = []*regexp.Regexp{
	regexp.MustCompile(`(?i)(authorization:\s*)[^\r\n\\"]+`),
	regexp.MustCompile(`(?i)(signature=)[^&\s,"\\]+`),
	regexp.MustCompile(`(?i)([?&](?:x-amz-signature|x-amz-security-token|x-goog-signature|x-oss-signature|sig|temp_url_sig|signature|sv|se|sp)=)[^&\s"\\]+`),
	regexp.MustCompile(`(?i)((?:x-amz-security-token|x-auth-token|x-storage-token|x-auth-key|x-oss-security-token|x-ms-copy-source-authorization):\s*)[^\r\n\\"]+`),
	// OAuth 2 token exchanges as an auth library logs them (JSON, form
	// or a printed map): the tokens, the client secret, the signed JWT
	// assertion that buys a token.
	regexp.MustCompile(`(?i)((?:access_token|refresh_token|id_token|client_secret|assertion|private_key)(?:\\?"|')?\s*[:=]\s*(?:\\?"|')?)[^"'&\s,}\]\\]+`),
}

// Redactor hides secrets in strings. The zero value hides the credential
// patterns only; Hide adds values.
type Redactor struct {
	mu      sync.RWMutex
	secrets []string
}

// Hide adds values to hide. Values shorter than 4 bytes are not secrets
// worth hiding and would blank out ordinary words.
func (r *Redactor) Hide(values ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, v := range values {
		if len(v) >= 4 && !slices.Contains(r.secrets, v) {
			r.secrets = append(r.secrets, v)
		}
	}
	// Longest first, so that a secret containing another is hidden whole.
	slices.SortFunc(r.secrets, func(a, b string) int { return len(b) - len(a) })
}

// String returns s with every secret and credential pattern hidden.
func (r *Redactor) String(s string) string {
	r.mu.RLock()
	for _, v := range r.secrets {
		s = strings.ReplaceAll(s, v, Mask)
	}
	r.mu.RUnlock()
	for _, p := range credentialPatterns {
		s = p.ReplaceAllString(s, "${1}"+Mask)
	}
	return s
}

func (r *Redactor) attr(a slog.Attr) slog.Attr {
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		return slog.String(a.Key, r.String(v.String()))
	case slog.KindGroup:
		g := v.Group()
		out := make([]any, len(g))
		for i, ga := range g {
			out[i] = r.attr(ga)
		}
		return slog.Group(a.Key, out...)
	case slog.KindAny:
		return slog.String(a.Key, r.String(fmt.Sprint(v.Any())))
	}
	return slog.Attr{Key: a.Key, Value: v}
}

// Handler returns a slog.Handler that passes records to next with every
// secret hidden, in the message and in the attributes.
func (r *Redactor) Handler(next slog.Handler) slog.Handler { return &handler{next: next, r: r} }

// Logger returns l with every secret hidden, the secrets given added.
func Logger(l *slog.Logger, secrets ...string) *slog.Logger {
	r := &Redactor{}
	r.Hide(secrets...)
	return slog.New(r.Handler(l.Handler()))
}

type handler struct {
	next slog.Handler
	r    *Redactor
}

func (h *handler) Enabled(ctx context.Context, l slog.Level) bool { return h.next.Enabled(ctx, l) }

func (h *handler) Handle(ctx context.Context, rec slog.Record) error {
	out := slog.NewRecord(rec.Time, rec.Level, h.r.String(rec.Message), rec.PC)
	rec.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(h.r.attr(a))
		return true
	})
	return h.next.Handle(ctx, out)
}

func (h *handler) WithAttrs(as []slog.Attr) slog.Handler {
	red := make([]slog.Attr, len(as))
	for i, a := range as {
		red[i] = h.r.attr(a)
	}
	return &handler{next: h.next.WithAttrs(red), r: h.r}
}

func (h *handler) WithGroup(name string) slog.Handler {
	return &handler{next: h.next.WithGroup(name), r: h.r}
}
