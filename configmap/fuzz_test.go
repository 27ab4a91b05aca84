package configmap_test

import (
	"strings"
	"testing"

	"github.com/stowage/stowage/configmap"
)

// The loaders must never panic and must either fail or name a provider.

func FuzzLoad(f *testing.F) {
	f.Add([]byte(registryYAML))
	f.Add([]byte("registry:\n  storage:\n    backend: s3\n    s3: {bucket: b}\n"))
	f.Add([]byte("spec:\n  registry:\n    storage:\n      backend: gcs\n"))
	f.Add([]byte("storage: {s3: {a: [1, {b: c}]}, redirect: {disable: yes}}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := configmap.Load(data, []string{"REGISTRY_STORAGE_S3_BUCKET=x"})
		if err == nil && cfg.Provider == "" {
			t.Fatalf("Load(%q) returned no provider and no error", data)
		}
		if err == nil {
			_, _ = cfg.Validate()
			_ = cfg.RedactedParams()
		}
	})
}

func FuzzParseSet(f *testing.F) {
	f.Add("registry.storage.backend=s3,registry.storage.s3.bucket=b")
	f.Add(`registry.storage.s3.useragent=a\,b`)
	f.Add("spec.registry.storage.backend=oss")
	f.Fuzz(func(t *testing.T, s string) {
		cfg, err := configmap.ParseSet(strings.Split(s, "\n"))
		if err == nil && cfg.Provider == "" {
			t.Fatalf("ParseSet(%q) returned no provider and no error", s)
		}
	})
}

func FuzzDecode(f *testing.F) {
	f.Add("chunksize", "10MiB", "secure", "true")
	f.Add("bucket", "b", "storageclass", "standard")
	f.Add("maxthreads", "-1", "duration", "1h")
	f.Fuzz(func(t *testing.T, k1, v1, k2, v2 string) {
		var p params
		err := configmap.Decode(map[string]any{k1: v1, k2: v2, "secretkey": "TOPSECRET"}, &p)
		if err != nil && strings.Contains(err.Error(), "TOPSECRET") {
			t.Fatalf("error leaks a secret: %v", err)
		}
	})
}

func FuzzParseSize(f *testing.F) {
	for _, s := range []string{"10MiB", "1.5GiB", "5242880", "7 KB"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := configmap.ParseSize(s)
		if err == nil && n < 0 {
			t.Fatalf("ParseSize(%q) = %d", s, n)
		}
	})
}
