package configmap_test

import (
	"strings"
	"testing"

	"github.com/stowage/stowage/configmap"
	_ "github.com/stowage/stowage/filesystem"
	_ "github.com/stowage/stowage/middleware/cloudfront"
	_ "github.com/stowage/stowage/s3"
)

const registryYAML = `
version: 0.1
storage:
  s3:
    region: us-east-1
    bucket: docker.myregistry.com
    chunksize: 10MiB
    secretkey: TOPSECRET
    accesskey: AKIA
  redirect:
    disable: true
  maintenance:
    uploadpurging:
      enabled: false
middleware:
  storage:
    - name: cloudfront
      options:
        baseurl: https://abcdefghijklmn.cloudfront.net/
        privatekey: /etc/docker/cloudfront/pk-ABCEDFGHIJKLMNOPQRST.pem
        keypairid: ABCEDFGHIJKLMNOPQRST
`

func TestLoadRegistryForm(t *testing.T) {
	cfg, err := configmap.Load([]byte(registryYAML), []string{"REGISTRY_STORAGE_S3_BUCKET=from-env", "REGISTRY_STORAGE_S3_SECURE=false", "HOME=/root"})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Provider != "s3" || cfg.Params["bucket"] != "from-env" || cfg.Params["region"] != "us-east-1" || cfg.Params["secure"] != "false" {
		t.Fatalf("cfg = %+v", cfg)
	}
	if !cfg.RedirectDisabled || len(cfg.Middleware) != 1 || cfg.Middleware[0].Name != "cloudfront" || cfg.Middleware[0].Options["keypairid"] != "ABCEDFGHIJKLMNOPQRST" {
		t.Fatalf("redirect/middleware: %+v", cfg)
	}
	// The seed's key file is not on this machine: a full validation says
	// so, one that skips local files passes and says what it skipped.
	if _, err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), `middleware.storage[0] (cloudfront): parameter "privatekey"`) {
		t.Fatalf("Validate = %v, want the missing private key named", err)
	}
	checked, err := cfg.Validate(configmap.SkipLocalFiles())
	if err != nil {
		t.Fatalf("Validate(SkipLocalFiles): %v", err)
	}
	if len(checked.Skipped) != 1 || !strings.Contains(checked.Skipped[0], "cloudfront") {
		t.Fatalf("Skipped = %q, want the cloudfront key file", checked.Skipped)
	}
	if red := cfg.RedactedParams(); red["secretkey"] != configmap.Redacted || red["accesskey"] != "AKIA" {
		t.Fatalf("RedactedParams = %v", red)
	}
}

func TestLoadValuesForms(t *testing.T) {
	for name, doc := range map[string]string{
		"swarm values":    "registry:\n  storage:\n    backend: s3\n    s3:\n      region: us-east-2\n      bucket: testing-msr-kube\n    persistentVolume:\n      size: 10Gi\n",
		"custom resource": "spec:\n  registry:\n    storage:\n      backend: \"s3\"\n      s3:\n        region: us-east-2\n        bucket: testing-msr-kube\n        v4auth: true\n",
	} {
		t.Run(name, func(t *testing.T) {
			cfg, err := configmap.Load([]byte(doc), nil)
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Provider != "s3" || cfg.Params["bucket"] != "testing-msr-kube" || cfg.Form != "values" {
				t.Fatalf("cfg = %+v", cfg)
			}
			if _, err := cfg.Validate(); err != nil {
				t.Fatalf("Validate: %v", err)
			}
		})
	}
}

func TestParseSetHelmKeys(t *testing.T) {
	cfg, err := configmap.ParseSet([]string{
		"registry.storage.backend=s3",
		"registry.storage.s3.accesskey=AK,registry.storage.s3.secretkey=SK",
		"registry.storage.s3.region=us-east-2",
		"registry.storage.s3.bucket=testing-msr-kube",
		`registry.storage.s3.useragent=a\,b`,
	})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Provider != "s3" || cfg.Params["bucket"] != "testing-msr-kube" || cfg.Params["secretkey"] != "SK" || cfg.Params["useragent"] != "a,b" {
		t.Fatalf("cfg = %+v", cfg)
	}
	if _, err := cfg.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
}

func TestLoadErrors(t *testing.T) {
	for _, tc := range []struct {
		name, doc string
		env       []string
		want      string
	}{
		{"two providers", "storage:\n  s3: {bucket: a}\n  gcs: {bucket: b}\n", nil, "more than one provider configured (gcs, s3)"},
		{"no provider", "storage:\n  delete: {enabled: true}\n", nil, "no provider key"},
		{"no storage", "version: 0.1\n", nil, "no storage section"},
		{"no backend, no provider", "registry:\n  storage:\n    persistentVolume: {size: 10Gi}\n", nil, "registry.storage.backend: required"},
		{"no backend, two providers", "registry:\n  storage:\n    s3: {bucket: a}\n    filesystem: {}\n", nil, "backend: required: the section configures filesystem and s3"},
		{"both forms", "storage:\n  s3: {bucket: a}\nregistry:\n  storage:\n    backend: s3\n", nil, "both storage and registry.storage are set"},
		{"bad yaml", "storage: [", nil, "not valid YAML"},
		{"params not a map", "storage:\n  s3: nope\n", nil, "storage.s3: expected a map"},
		{"middleware without name", "storage:\n  s3: {}\nmiddleware:\n  storage:\n    - options: {}\n", nil, "name is required"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := configmap.Load([]byte(tc.doc), tc.env)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Load error = %v, want %q", err, tc.want)
			}
		})
	}
	for _, tc := range []struct {
		name string
		sets []string
		want string
	}{
		{"no equals", []string{"registry.storage.backend"}, "expected key=value"},
		{"empty segment", []string{"registry..storage=x"}, "empty key segment"},
		{"wrong root", []string{"registry.s3.bucket=x"}, "expected keys under registry.storage"},
		{"none", nil, "no assignments"},
	} {
		t.Run("set/"+tc.name, func(t *testing.T) {
			_, err := configmap.ParseSet(tc.sets)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("ParseSet error = %v, want %q", err, tc.want)
			}
		})
	}
}

func TestValidateReportsBadParameters(t *testing.T) {
	cfg, err := configmap.Load([]byte("storage:\n  s3:\n    regionendpiont: http://x\n    chunksize: abc\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = cfg.Validate()
	for _, want := range []string{`"regionendpiont": unknown parameter (did you mean "regionendpoint"?)`, `"chunksize": expected a size`, `"bucket": required`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Validate error = %v, want it to contain %s", err, want)
		}
	}
}

func TestEnvSelectsProvider(t *testing.T) {
	cfg, err := configmap.Load([]byte("storage:\n  filesystem: {rootdirectory: /x}\n"), []string{"REGISTRY_STORAGE=s3", "REGISTRY_STORAGE_S3_BUCKET=b", "REGISTRY_STORAGE_S3_REGION=r"})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Provider != "s3" || cfg.Params["bucket"] != "b" || cfg.Params["rootdirectory"] != nil {
		t.Fatalf("cfg = %+v", cfg)
	}
}

// seedHelmSets are the --set keys of seed 003's helm install command, with
// its <> placeholders filled in.
var seedHelmSets = []string{
	"registry.storage.backend=s3",
	"registry.storage.s3.accesskey=AKIAEXAMPLE",
	"registry.storage.s3.secretkey=SEEDSECRET",
	"registry.storage.s3.region=us-east-2",
	"registry.storage.s3.bucket=testing-msr-kube",
}

// seedSwarmValues is seed 003's Swarm values.yaml, placeholders filled in.
const seedSwarmValues = `
registry:
  storage:
    backend: 's3'
    s3:
      region: us-east-1
      bucket: my-bucket
      accesskey: AKIAEXAMPLE
      secretkey: SEEDSECRET
`

func TestLoadSetMergesOntoFile(t *testing.T) {
	// helm --values values.yaml --set ...: the keys win over the file.
	cfg, err := configmap.LoadSet([]byte(seedSwarmValues), []string{"registry.storage.s3.region=us-east-2", "registry.storage.s3.bucket=testing-msr-kube"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Provider != "s3" || cfg.Form != "values" || cfg.Params["region"] != "us-east-2" || cfg.Params["bucket"] != "testing-msr-kube" || cfg.Params["accesskey"] != "AKIAEXAMPLE" {
		t.Fatalf("cfg = %+v", cfg)
	}
	if _, err := cfg.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	// The registry form takes storage.* keys.
	cfg, err = configmap.LoadSet([]byte(registryYAML), []string{"storage.s3.region=eu-west-1"}, nil)
	if err != nil || cfg.Params["region"] != "eu-west-1" || cfg.Params["bucket"] != "docker.myregistry.com" || len(cfg.Middleware) != 1 || cfg.Form != "registry" {
		t.Fatalf("registry form + storage.s3.region: %+v, %v", cfg, err)
	}
	// A values key onto a registry-form file is refused, not ignored.
	if _, err := configmap.LoadSet([]byte(registryYAML), []string{"registry.storage.s3.region=eu-west-1"}, nil); err == nil || !strings.Contains(err.Error(), "both storage and registry.storage") {
		t.Fatalf("values key onto a registry file: %v", err)
	}
	// The backend can be switched by a key, as in Helm.
	cfg, err = configmap.LoadSet([]byte(seedSwarmValues), []string{"registry.storage.backend=filesystem", "registry.storage.filesystem.rootdirectory=/data"}, nil)
	if err != nil || cfg.Provider != "filesystem" || cfg.Params["rootdirectory"] != "/data" {
		t.Fatalf("backend switched: %+v, %v", cfg, err)
	}
}

func TestLoadSetEnvironmentWins(t *testing.T) {
	env := []string{"REGISTRY_STORAGE_S3_REGION=from-env", "REGISTRY_STORAGE_S3_BUCKET=env-bucket"}
	for name, load := range map[string]func() (*configmap.StorageConfig, error){
		"set only": func() (*configmap.StorageConfig, error) { return configmap.LoadSet(nil, seedHelmSets, env) },
		"file + set": func() (*configmap.StorageConfig, error) {
			return configmap.LoadSet([]byte(seedSwarmValues), seedHelmSets[3:], env)
		},
		"file only": func() (*configmap.StorageConfig, error) { return configmap.Load([]byte(seedSwarmValues), env) },
		"custom res.": func() (*configmap.StorageConfig, error) {
			return configmap.LoadSet(nil, []string{"spec.registry.storage.s3.region=x"}, env)
		},
	} {
		t.Run(name, func(t *testing.T) {
			cfg, err := load()
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Provider != "s3" || cfg.Params["region"] != "from-env" || cfg.Params["bucket"] != "env-bucket" {
				t.Fatalf("cfg = %+v", cfg)
			}
		})
	}
}

func TestParseSetSeedHelmCommand(t *testing.T) {
	cfg, err := configmap.ParseSet(seedHelmSets)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Provider != "s3" || cfg.Form != "set" || cfg.Params["region"] != "us-east-2" || cfg.Params["bucket"] != "testing-msr-kube" {
		t.Fatalf("cfg = %+v", cfg)
	}
	if _, err := cfg.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	if red := cfg.RedactedParams(); red["secretkey"] != configmap.Redacted {
		t.Fatalf("RedactedParams = %v", red)
	}
}

func TestBackendInferred(t *testing.T) {
	// docs/s3.md style one-liner without backend, and a values file without
	// it: the one provider key decides.
	for name, load := range map[string]func() (*configmap.StorageConfig, error){
		"set": func() (*configmap.StorageConfig, error) { return configmap.ParseSet(seedHelmSets[1:]) },
		"values file": func() (*configmap.StorageConfig, error) {
			return configmap.Load([]byte(strings.Replace(seedSwarmValues, "    backend: 's3'\n", "", 1)), nil)
		},
		"other keys beside": func() (*configmap.StorageConfig, error) {
			return configmap.Load([]byte("registry:\n  storage:\n    persistentVolume: {size: 10Gi}\n    s3: {region: us-east-2, bucket: my-bucket}\n"), nil)
		},
	} {
		t.Run(name, func(t *testing.T) {
			cfg, err := load()
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Provider != "s3" {
				t.Fatalf("cfg = %+v", cfg)
			}
			if _, err := cfg.Validate(); err != nil {
				t.Fatalf("Validate: %v", err)
			}
		})
	}
}

func TestEmptyProviderValue(t *testing.T) {
	for _, load := range []func() (*configmap.StorageConfig, error){
		func() (*configmap.StorageConfig, error) {
			return configmap.ParseSet([]string{"registry.storage.filesystem="})
		},
		func() (*configmap.StorageConfig, error) {
			return configmap.Load([]byte("storage:\n  filesystem:\n"), nil)
		},
		func() (*configmap.StorageConfig, error) {
			return configmap.Load([]byte("storage:\n  filesystem: ''\n"), nil)
		},
	} {
		cfg, err := load()
		if err != nil || cfg.Provider != "filesystem" || len(cfg.Params) != 0 {
			t.Fatalf("cfg = %+v, %v", cfg, err)
		}
	}
}
