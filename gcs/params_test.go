package gcs_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stowage/stowage/configmap"
	"github.com/stowage/stowage/driver"
	"github.com/stowage/stowage/gcs"
)

// TestBadParams checks that every parameter's bad values are refused by the
// factory, before any request (no server runs here), with an error naming
// the parameter.
func TestBadParams(t *testing.T) {
	dir := t.TempDir()
	notJSON := filepath.Join(dir, "notjson")
	_ = os.WriteFile(notJSON, []byte("not json"), 0o600)
	_, goodCreds := serviceAccountKey(t, "http://127.0.0.1:1/token")
	badKey := strings.Replace(goodCreds, "PRIVATE KEY-----\\n", "PRIVATE KEY-----\\nAAAA", 1)
	cases := []struct {
		name   string
		params map[string]any
		param  string
	}{
		{"bucket missing", map[string]any{}, "bucket"},
		{"bucket empty", map[string]any{"bucket": ""}, "bucket"},
		{"bucket uppercase", map[string]any{"bucket": "My_Bucket"}, "bucket"},
		{"bucket too short", map[string]any{"bucket": "ab"}, "bucket"},
		{"bucket not a string", map[string]any{"bucket": []any{"a"}}, "bucket"},
		{"credentials not json", map[string]any{"credentials": "{not json"}, "credentials"},
		{"credentials wrong type", map[string]any{"credentials": map[string]any{"type": "bogus"}}, "credentials"},
		{"credentials number", map[string]any{"credentials": 42}, "credentials"},
		{"credentials no email", map[string]any{"credentials": map[string]any{"type": "service_account", "private_key": "x"}}, "credentials"},
		{"credentials bad key", map[string]any{"credentials": badKey}, "credentials"},
		{"credentials and keyfile", map[string]any{"credentials": goodCreds, "keyfile": notJSON}, "credentials"},
		{"keyfile missing", map[string]any{"keyfile": filepath.Join(dir, "nope.json")}, "keyfile"},
		{"keyfile not json", map[string]any{"keyfile": notJSON}, "keyfile"},
		{"keyfile not a string", map[string]any{"keyfile": map[string]any{"a": 1}}, "keyfile"},
		{"rootdirectory dotdot", map[string]any{"rootdirectory": "/a/../b"}, "rootdirectory"},
		{"rootdirectory empty segment", map[string]any{"rootdirectory": "a//b"}, "rootdirectory"},
		{"chunksize not aligned", map[string]any{"chunksize": 300 << 10}, "chunksize"},
		{"chunksize zero", map[string]any{"chunksize": 0}, "chunksize"},
		{"chunksize too small", map[string]any{"chunksize": "128KiB"}, "chunksize"},
		{"chunksize negative", map[string]any{"chunksize": -1}, "chunksize"},
		{"chunksize words", map[string]any{"chunksize": "big"}, "chunksize"},
		{"chunksize too big", map[string]any{"chunksize": "6GiB"}, "chunksize"},
		{"useragent newline", map[string]any{"useragent": "a\r\nX-Evil: 1"}, "useragent"},
		{"maxconcurrency zero", map[string]any{"maxconcurrency": 0}, "maxconcurrency"},
		{"maxconcurrency words", map[string]any{"maxconcurrency": "many"}, "maxconcurrency"},
		{"maxconcurrency too big", map[string]any{"maxconcurrency": 100000}, "maxconcurrency"},
		{"uploadconcurrency zero", map[string]any{"uploadconcurrency": 0}, "uploadconcurrency"},
		{"uploadconcurrency words", map[string]any{"uploadconcurrency": "many"}, "uploadconcurrency"},
		{"uploadconcurrency too big", map[string]any{"uploadconcurrency": 101}, "uploadconcurrency"},
		{"endpoint relative", map[string]any{"endpoint": "storage/v1"}, "endpoint"},
		{"endpoint scheme", map[string]any{"endpoint": "ftp://host/"}, "endpoint"},
		{"anonymous words", map[string]any{"anonymous": "sometimes"}, "anonymous"},
		{"anonymous with credentials", map[string]any{"anonymous": true, "credentials": goodCreds}, "anonymous"},
		{"unknown", map[string]any{"bukket": "x"}, "bukket"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			params := map[string]any{"bucket": "stowage-test"}
			if c.param == "bucket" {
				delete(params, "bucket")
			}
			for k, v := range c.params {
				params[k] = v
			}
			_, err := driver.Open(context.Background(), gcs.Name, params)
			if err == nil {
				t.Fatal("accepted")
			}
			var ce *configmap.Error
			if !errors.As(err, &ce) {
				t.Fatalf("error %v (%T) is not a *configmap.Error", err, err)
			}
			found := false
			var es configmap.Errors
			if errors.As(err, &es) {
				for _, e := range es {
					found = found || e.Param == c.param
				}
			} else {
				found = ce.Param == c.param
			}
			if !found {
				t.Fatalf("error %v does not name %q", err, c.param)
			}
			if strings.Contains(err.Error(), "PRIVATE KEY") || strings.Contains(err.Error(), "MII") {
				t.Fatalf("error shows the key: %v", err)
			}
		})
	}
}

// TestGoodParams checks that the accepted forms open without a request:
// credentials as a string and as a YAML map, and a key file.
func TestGoodParams(t *testing.T) {
	_, creds := serviceAccountKey(t, "http://127.0.0.1:1/token")
	var m map[string]any
	if err := jsonUnmarshal(creds, &m); err != nil {
		t.Fatal(err)
	}
	yamlMap := map[any]any{}
	for k, v := range m {
		yamlMap[k] = v
	}
	file := filepath.Join(t.TempDir(), "key.json")
	_ = os.WriteFile(file, []byte(creds), 0o600)
	for name, extra := range map[string]map[string]any{
		"string":   {"credentials": creds},
		"map":      {"credentials": m},
		"yaml map": {"credentials": yamlMap},
		"keyfile":  {"keyfile": file},
		"anon":     {"anonymous": "true", "endpoint": "http://127.0.0.1:1/storage/v1/", "chunksize": "512KiB", "rootdirectory": "/a/b/"},
	} {
		t.Run(name, func(t *testing.T) {
			params := map[string]any{"bucket": "stowage-test"}
			for k, v := range extra {
				params[k] = v
			}
			if _, err := driver.Open(context.Background(), gcs.Name, params); err != nil {
				t.Fatal(err)
			}
		})
	}
}
