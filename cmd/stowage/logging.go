package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/stowage/stowage/configmap"
	"github.com/stowage/stowage/driver"
)

// newLogger returns the logger handed to every driver (--log-level): text
// lines on w at level and above, with every secret hidden (see
// logRedactor). It is also slog's default, so that libraries logging
// through slog.Default and the log package end up there too.
func newLogger(w io.Writer, level string) (*slog.Logger, *logRedactor, error) {
	var l slog.Level
	switch strings.ToLower(level) {
	case "debug":
		l = slog.LevelDebug
	case "info":
		l = slog.LevelInfo
	case "warn", "warning":
		l = slog.LevelWarn
	case "error":
		l = slog.LevelError
	default:
		return nil, nil, fmt.Errorf("--log-level: expected debug, info, warn or error, got %q", level)
	}
	r := &logRedactor{}
	r.hide(environmentSecrets(os.Environ())...)
	logger := slog.New(&redactHandler{next: slog.NewTextHandler(w, &slog.HandlerOptions{Level: l}), r: r})
	slog.SetDefault(logger)
	return logger, r, nil
}

// credentialPatterns match what request logs carry that works as a
// credential: signatures (headers and presigned query strings), session and
// auth tokens, and Authorization headers.
var credentialPatterns = []*regexp.Regexp{
	regexp.MustCompile(`(?i)(authorization:\s*)[^\r\n\\"]+`),
	regexp.MustCompile(`(?i)(signature=)[^&\s,"\\]+`),
	regexp.MustCompile(`(?i)([?&](?:x-amz-signature|x-amz-security-token|x-goog-signature|x-oss-signature|sig|temp_url_sig|signature)=)[^&\s"\\]+`),
	regexp.MustCompile(`(?i)((?:x-amz-security-token|x-auth-token|x-storage-token|x-auth-key|x-oss-security-token|x-ms-copy-source-authorization):\s*)[^\r\n\\"]+`),
}

// logRedactor hides secrets in log lines: the values of the parameters
// declared secret in the configuration (added by hide when a driver is
// opened), credentials found in the environment, and credentialPatterns.
type logRedactor struct {
	mu      sync.RWMutex
	secrets []string
}

// hide adds values to hide; values shorter than 4 bytes are not secrets
// worth hiding and would blank out ordinary words.
func (r *logRedactor) hide(values ...string) {
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

func (r *logRedactor) redact(s string) string {
	r.mu.RLock()
	for _, v := range r.secrets {
		s = strings.ReplaceAll(s, v, configmap.Redacted)
	}
	r.mu.RUnlock()
	for _, p := range credentialPatterns {
		s = p.ReplaceAllString(s, "${1}"+configmap.Redacted)
	}
	return s
}

func (r *logRedactor) attr(a slog.Attr) slog.Attr {
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		return slog.String(a.Key, r.redact(v.String()))
	case slog.KindGroup:
		g := v.Group()
		out := make([]any, len(g))
		for i, ga := range g {
			out[i] = r.attr(ga)
		}
		return slog.Group(a.Key, out...)
	case slog.KindAny:
		return slog.String(a.Key, r.redact(fmt.Sprint(v.Any())))
	}
	return slog.Attr{Key: a.Key, Value: v}
}

// redactHandler passes records to next with every secret hidden.
type redactHandler struct {
	next slog.Handler
	r    *logRedactor
}

func (h *redactHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return h.next.Enabled(ctx, l)
}

func (h *redactHandler) Handle(ctx context.Context, rec slog.Record) error {
	out := slog.NewRecord(rec.Time, rec.Level, h.r.redact(rec.Message), rec.PC)
	rec.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(h.r.attr(a))
		return true
	})
	return h.next.Handle(ctx, out)
}

func (h *redactHandler) WithAttrs(as []slog.Attr) slog.Handler {
	red := make([]slog.Attr, len(as))
	for i, a := range as {
		red[i] = h.r.attr(a)
	}
	return &redactHandler{next: h.next.WithAttrs(red), r: h.r}
}

func (h *redactHandler) WithGroup(name string) slog.Handler {
	return &redactHandler{next: h.next.WithGroup(name), r: h.r}
}

// secretEnv matches the names of environment variables that hold
// credentials the SDKs read (AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN,
// AZURE_STORAGE_KEY, AZURE_CLIENT_SECRET, OS_PASSWORD,
// ALIBABA_CLOUD_ACCESS_KEY_SECRET, ...).
var secretEnv = regexp.MustCompile(`(?i)(secret|token|password|passwd|_key$|account_key|sas)`)

func environmentSecrets(environ []string) []string {
	var out []string
	for _, kv := range environ {
		k, v, _ := strings.Cut(kv, "=")
		if secretEnv.MatchString(k) && len(v) >= 8 {
			out = append(out, v)
		}
	}
	return out
}

// secretsOf returns the values of the parameters, and middleware options,
// that their declarations mark secret.
func secretsOf(cfg *configmap.StorageConfig) []string {
	var out []string
	if f, ok := driver.Lookup(cfg.Provider); ok {
		if d, ok := f.(driver.ParamsDeclarer); ok {
			out = appendSecrets(out, cfg.Params, configmap.Redact(cfg.Params, d.NewParams()))
		}
	}
	for _, m := range cfg.Middleware {
		if f, ok := driver.Middlewares.Lookup(m.Name); ok {
			if d, ok := f.(driver.ParamsDeclarer); ok {
				out = appendSecrets(out, m.Options, configmap.Redact(m.Options, d.NewParams()))
			}
		}
	}
	return out
}

// appendSecrets adds the values of given that redacted hides.
func appendSecrets(out []string, given, redacted map[string]any) []string {
	for k, v := range given {
		r := redacted[k]
		if sub, ok := v.(map[string]any); ok {
			if rsub, ok := r.(map[string]any); ok {
				out = appendSecrets(out, sub, rsub)
			}
			continue
		}
		if r == configmap.Redacted && v != configmap.Redacted {
			out = append(out, fmt.Sprint(v))
		}
	}
	return out
}
