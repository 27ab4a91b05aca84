package redact

import (
	"strings"
	"testing"
)

// TestOAuthTokens: what an auth library logs of a token exchange hides its
// tokens and the signed assertion, in JSON, form and printed-map forms.
func TestOAuthTokens(t *testing.T) {
	var r Redactor
	for _, line := range []string{
		`{"payload":"map[access_token:ya29.SECRET expires_in:3600 token_type:Bearer]"}`,
		`{"access_token":"ya29.SECRET","refresh_token":"1//SECRET"}`,
		`{"body":"{\"access_token\":\"ya29.SECRET\"}"}`,
		`grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=eyJSECRET.eyJ.sig`,
		`client_secret=SECRET&client_id=x`,
	} {
		if got := r.String(line); strings.Contains(got, "SECRET") {
			t.Errorf("String(%s) = %s", line, got)
		}
	}
	if got := r.String("expires_in:3600 token_type:Bearer"); got != "expires_in:3600 token_type:Bearer" {
		t.Errorf("ordinary words changed: %s", got)
	}
}
