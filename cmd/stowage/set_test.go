package main

import (
	"strings"
	"testing"
)

// seedSwarmValues is seed 003's Swarm values.yaml, placeholders filled in.
const seedSwarmValues = `registry:
  storage:
    backend: 's3'
    s3:
      region: us-east-1
      bucket: my-bucket
      accesskey: AKIAEXAMPLE
      secretkey: SEEDSECRET
`

func TestSetMergesOntoConfig(t *testing.T) {
	values := writeFile(t, t.TempDir(), "values.yml", seedSwarmValues)
	// helm upgrade -f values.yml --set ...: the keys win over the file.
	r := stowage(t, "--config", values, "--set", "registry.storage.s3.region=us-east-2", "--set", "registry.storage.s3.bucket=testing-msr-kube", "config", "validate")
	ok(t, r, "--config with --set")
	for _, want := range []string{"region: us-east-2", "bucket: testing-msr-kube", "accesskey: AKIAEXAMPLE", "secretkey: <redacted>", "form: values"} {
		if !strings.Contains(r.stdout, want) {
			t.Fatalf("effective config lacks %q: %v", want, r)
		}
	}
	if strings.Contains(r.stdout+r.stderr, "SEEDSECRET") {
		t.Fatalf("secret printed: %v", r)
	}
	// And a command runs on the merged storage: a file for s3 switched to
	// the filesystem by --set keys.
	data := t.TempDir()
	sets := []string{"--config", values, "--set", "registry.storage.backend=filesystem", "--set", "registry.storage.filesystem.rootdirectory=" + data}
	ok(t, stowage(t, append(sets, "put", "/merged", values)...), "put on the merged storage")
	if r := stowage(t, "--data-dir", data, "cat", "/merged"); r.code != 0 || r.stdout != seedSwarmValues {
		t.Fatalf("cat on the merged storage's directory: %v", r)
	}
	// A values key onto a registry-form file is refused, not ignored.
	reg := writeFile(t, t.TempDir(), "config.yml", "storage:\n  s3:\n    region: us-east-1\n    bucket: my-bucket\n")
	if r := stowage(t, "--config", reg, "--set", "registry.storage.s3.region=x", "config", "validate"); r.code != 2 || !strings.Contains(r.stderr, "both storage and registry.storage") {
		t.Fatalf("values key onto a registry file: %v", r)
	}
	r = stowage(t, "--config", reg, "--set", "storage.s3.region=eu-west-1", "config", "validate")
	if r.code != 0 || !strings.Contains(r.stdout, "region: eu-west-1") {
		t.Fatalf("registry key onto a registry file: %v", r)
	}
}

// TestSetSeedHelmCommand: the keys of seed 003's helm install command.
func TestSetSeedHelmCommand(t *testing.T) {
	r := stowage(t, "config", "validate",
		"--set", "registry.storage.backend=s3",
		"--set", "registry.storage.s3.accesskey=AKIAEXAMPLE",
		"--set", "registry.storage.s3.secretkey=SEEDSECRET",
		"--set", "registry.storage.s3.region=us-east-2",
		"--set", "registry.storage.s3.bucket=testing-msr-kube")
	ok(t, r, "seed helm keys")
	if !strings.Contains(r.stdout, "provider: s3") || !strings.Contains(r.stdout, "form: set") || strings.Contains(r.stdout, "SEEDSECRET") {
		t.Fatalf("seed helm keys: %v", r)
	}
}

// TestSetInfersBackend: the docs' one-liners name one provider and no
// backend.
func TestSetInfersBackend(t *testing.T) {
	for _, tc := range []struct {
		sets     []string
		provider string
	}{
		{[]string{"registry.storage.gcs.bucket=my-registry"}, "gcs"},
		{[]string{"registry.storage.azure.accountname=myregistry", "registry.storage.azure.container=registry"}, "azure"},
		{[]string{"registry.storage.s3.bucket=my-registry", "registry.storage.s3.region=eu-west-1"}, "s3"},
		{[]string{"registry.storage.inmemory="}, "inmemory"},
	} {
		var args []string
		for _, s := range tc.sets {
			args = append(args, "--set", s)
		}
		r := stowage(t, append(args, "config", "validate")...)
		if r.code != 0 || !strings.Contains(r.stdout, "provider: "+tc.provider) {
			t.Fatalf("%v: %v", tc.sets, r)
		}
	}
	// Only a container: backend azure, and what is missing is named.
	r := stowage(t, "--set", "registry.storage.azure.container=registry", "config", "validate")
	if r.code != 2 || !strings.Contains(r.stderr, `storage azure: parameter "accountname": required`) || strings.Contains(r.stderr, "backend") {
		t.Fatalf("azure container alone: %v", r)
	}
	// Two providers and no backend: say so.
	r = stowage(t, "--set", "registry.storage.gcs.bucket=a,registry.storage.s3.bucket=b", "config", "validate")
	if r.code != 2 || !strings.Contains(r.stderr, "backend: required: the section configures gcs and s3") {
		t.Fatalf("two providers: %v", r)
	}
}

// TestSetHonoursEnvironment: REGISTRY_STORAGE_* overrides apply to --set
// (and to --config with --set) last, as in the reference registry.
func TestSetHonoursEnvironment(t *testing.T) {
	env := cli{env: []string{"REGISTRY_STORAGE_S3_REGION=from-env", "REGISTRY_STORAGE_S3_SECRETKEY=ENVSECRET"}}
	r := env.run(t, "--set", "registry.storage.s3.bucket=my-bucket", "--set", "registry.storage.s3.region=us-east-2", "--set", "registry.storage.s3.accesskey=AK", "config", "validate")
	ok(t, r, "--set with environment")
	if !strings.Contains(r.stdout, "region: from-env") || !strings.Contains(r.stdout, "secretkey: <redacted>") || strings.Contains(r.stdout, "ENVSECRET") {
		t.Fatalf("--set with environment: %v", r)
	}
	values := writeFile(t, t.TempDir(), "values.yml", seedSwarmValues)
	r = env.run(t, "--config", values, "--set", "registry.storage.s3.region=us-east-2", "config", "validate")
	if r.code != 0 || !strings.Contains(r.stdout, "region: from-env") {
		t.Fatalf("--config, --set and environment: %v", r)
	}
	// REGISTRY_STORAGE picks the provider, as for a file.
	data := t.TempDir()
	r = cli{env: []string{"REGISTRY_STORAGE=filesystem", "REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY=" + data}}.run(t, "--set", "registry.storage.backend=s3", "config", "validate")
	if r.code != 0 || !strings.Contains(r.stdout, "provider: filesystem") || !strings.Contains(r.stdout, "rootdirectory: "+data) {
		t.Fatalf("REGISTRY_STORAGE with --set: %v", r)
	}
}
