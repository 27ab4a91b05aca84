package main

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"regexp"
	"strings"

	"github.com/stowage/stowage/configmap"
	"github.com/stowage/stowage/driver"
	"github.com/stowage/stowage/internal/redact"
)

// newLogger returns the logger handed to every driver (--log-level): text
// lines on w at level and above, with every secret hidden (internal/redact:
// credential patterns, credentials found in the environment, and the
// values of secret parameters, added when a driver is opened). It is also
// slog's default, so that libraries logging through slog.Default and the
// log package end up there too.
func newLogger(w io.Writer, level string) (*slog.Logger, *redact.Redactor, error) {
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
	r := &redact.Redactor{}
	r.Hide(environmentSecrets(os.Environ())...)
	logger := slog.New(r.Handler(slog.NewTextHandler(w, &slog.HandlerOptions{Level: l})))
	slog.SetDefault(logger)
	return logger, r, nil
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
