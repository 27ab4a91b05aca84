package configmap_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/stowage/stowage/configmap"
)

// The URL form and the YAML-plus-keys form must never panic, must name a
// provider when they succeed, and must never show a secret: not in their
// errors, not in the redacted forms (TOPSECRET stands for one).

func FuzzParseURL(f *testing.F) {
	for _, s := range []string{
		"s3://b/root?region=us-east-1&secretkey=TOPSECRET",
		"gs://bucket/r?chunksize=16MiB",
		"azblob://c?accountname=a&accountkey=TOPSECRET&credentials.secret=TOPSECRET",
		"swift://container?authurl=http://k/v3&password=TOPSECRET",
		"oss://b?region=oss-cn-hangzhou&accesskeysecret=TOPSECRET",
		"gocloud+s3://b?region=x", "file:///var/lib/registry", "mem://",
		"s3://b?secretkey=TOP%zzSECRET", "s3://u:TOPSECRET@b", "s3://b#TOPSECRET",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		cfg, err := configmap.ParseURL(raw)
		if err != nil {
			if strings.Contains(err.Error(), "TOPSECRET") {
				t.Fatalf("ParseURL error shows the secret: %v", err)
			}
		} else {
			if cfg.Provider == "" {
				t.Fatalf("ParseURL(%q) returned no provider and no error", raw)
			}
			if _, err := cfg.Validate(configmap.SkipLocalFiles()); err != nil && strings.Contains(err.Error(), "TOPSECRET") && secretParam(raw) {
				t.Fatalf("Validate error shows the secret: %v", err)
			}
			if red := fmt.Sprint(cfg.RedactedParams()); strings.Contains(red, "TOPSECRET") && secretParam(raw) {
				t.Fatalf("RedactedParams shows the secret: %s", red)
			}
		}
		if red := configmap.RedactURL(raw); strings.Contains(red, "TOPSECRET") && secretParam(raw) {
			t.Fatalf("RedactURL(%q) = %q shows the secret", raw, red)
		}
	})
}

// secretParam reports whether TOPSECRET appears only as the value of a
// secret parameter (or a password), so that finding it in a redacted form
// is a leak rather than, say, a bucket named TOPSECRET.
func secretParam(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" {
		return false
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil || strings.Count(u.RawQuery, "TOPSECRET") != strings.Count(raw, "TOPSECRET") {
		return false
	}
	for _, k := range []string{"secretkey", "accountkey", "credentials.secret", "password", "accesskeysecret", "sessiontoken"} {
		if q.Get(k) == "TOPSECRET" {
			return strings.Count(u.RawQuery, "TOPSECRET") == len(q[k])
		}
	}
	return false
}

func FuzzLoadSet(f *testing.F) {
	f.Add([]byte(registryYAML), "storage.s3.secretkey=TOPSECRET")
	f.Add([]byte("registry:\n  storage:\n    backend: s3\n"), "registry.storage.s3.bucket=b,registry.storage.s3.secretkey=TOPSECRET")
	f.Add([]byte(""), "registry.storage.backend=gcs")
	f.Add([]byte("storage: {azure: {accountkey: TOPSECRET}}"), `storage.azure.container=a\,b`)
	f.Fuzz(func(t *testing.T, data []byte, set string) {
		cfg, err := configmap.LoadSet(data, strings.Split(set, ","), []string{"REGISTRY_STORAGE_S3_SECRETKEY=TOPSECRET"})
		if err != nil {
			// The environment's secret never shows (what the fuzzer puts in
			// data or set may be quoted as the malformed input it is).
			if strings.Contains(err.Error(), "TOPSECRET") && !strings.Contains(set+string(data), "TOPSECRET") {
				t.Fatalf("LoadSet error shows the secret of the environment: %v", err)
			}
			return
		}
		if red := fmt.Sprint(cfg.RedactedParams()); strings.Contains(red, "TOPSECRET") && !strings.Contains(set+string(data), "TOPSECRET") {
			t.Fatalf("RedactedParams shows the secret of the environment: %s", red)
		}
		if cfg.Provider == "" {
			t.Fatalf("LoadSet(%q, %q) returned no provider and no error", data, set)
		}
		_, _ = cfg.Validate(configmap.SkipLocalFiles())
		_ = cfg.RedactedParams()
	})
}
