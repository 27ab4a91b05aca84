package redact

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
)

func TestRedactor(t *testing.T) {
	r := &Redactor{}
	r.Hide("TOPSECRETVALUE", "abc") // too short to hide
	for in, want := range map[string]string{
		"key TOPSECRETVALUE here": "key <redacted> here",
		"Authorization: AWS4-HMAC-SHA256 Credential=AK/x, Signature=ff": "Authorization: <redacted>",
		"GET /b?X-Amz-Signature=deadbeef&X-Amz-Date=1":                  "GET /b?X-Amz-Signature=<redacted>&X-Amz-Date=1",
		"X-Amz-Security-Token: FQoGZXIvYXdzE":                           "X-Amz-Security-Token: <redacted>",
		"GET /c/o?sv=2021&se=2030&sp=r&sig=abc%2F":                      "GET /c/o?sv=<redacted>&se=<redacted>&sp=<redacted>&sig=<redacted>",
		"GET /v1/AUTH_t/c/o?temp_url_sig=0123&temp_url_expires=9":       "GET /v1/AUTH_t/c/o?temp_url_sig=<redacted>&temp_url_expires=9",
		"an abc word": "an abc word",
	} {
		if got := r.String(in); got != want {
			t.Errorf("String(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLogger(t *testing.T) {
	var buf bytes.Buffer
	l := Logger(slog.New(slog.NewTextHandler(&buf, nil)), "SESSIONTOKEN123")
	l.With("token", "SESSIONTOKEN123").Info("request with SESSIONTOKEN123", slog.Group("g", "h", "Signature=abcdef"))
	if out := buf.String(); strings.Contains(out, "SESSIONTOKEN123") || strings.Contains(out, "abcdef") {
		t.Fatalf("secret logged: %s", out)
	}
}
