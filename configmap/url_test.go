package configmap_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	_ "github.com/stowage/stowage/azure"
	"github.com/stowage/stowage/configmap"
	_ "github.com/stowage/stowage/filesystem"
	_ "github.com/stowage/stowage/gcs"
	_ "github.com/stowage/stowage/gocloud"
	_ "github.com/stowage/stowage/inmemory"
	_ "github.com/stowage/stowage/oss"
	_ "github.com/stowage/stowage/s3"
	_ "github.com/stowage/stowage/swift"
)

func TestParseURL(t *testing.T) {
	for _, tc := range []struct {
		url      string
		provider string
		params   map[string]any
	}{
		{"s3://docker.myregistry.com/registry?region=us-east-1&regionendpoint=http://minio:9000&forcepathstyle=true",
			"s3", map[string]any{"bucket": "docker.myregistry.com", "rootdirectory": "/registry", "region": "us-east-1", "regionendpoint": "http://minio:9000", "forcepathstyle": "true"}},
		{"s3://b?region=us-east-2", "s3", map[string]any{"bucket": "b", "region": "us-east-2"}},
		{"gs://my-registry/docker?keyfile=/etc/gcs.json&chunksize=16MiB",
			"gcs", map[string]any{"bucket": "my-registry", "rootdirectory": "/docker", "keyfile": "/etc/gcs.json", "chunksize": "16MiB"}},
		{"gcs://my-registry", "gcs", map[string]any{"bucket": "my-registry"}},
		{"azblob://registry?accountname=myaccount&credentials.type=default_credentials",
			"azure", map[string]any{"container": "registry", "accountname": "myaccount", "credentials": map[string]any{"type": "default_credentials"}}},
		{"swift://registry/prefix?authurl=https://keystone.example.com/v3&username=registry&tempurlmethods=GET&tempurlmethods=HEAD",
			"swift", map[string]any{"container": "registry", "prefix": "/prefix", "authurl": "https://keystone.example.com/v3", "username": "registry", "tempurlmethods": []any{"GET", "HEAD"}}},
		{"oss://my-registry?region=oss-cn-hangzhou&internal=true",
			"oss", map[string]any{"bucket": "my-registry", "region": "oss-cn-hangzhou", "internal": "true"}},
		{"file:///var/lib/registry", "filesystem", map[string]any{"rootdirectory": "/var/lib/registry"}},
		{"file://localhost/var/lib/registry?maxthreads=50", "filesystem", map[string]any{"rootdirectory": "/var/lib/registry", "maxthreads": "50"}},
		{"mem://", "inmemory", map[string]any{}},
		{"gocloud+s3://bucket?region=us-east-1&rootdirectory=/registry&chunksize=16MiB",
			"gocloud", map[string]any{"url": "s3://bucket?region=us-east-1", "rootdirectory": "/registry", "chunksize": "16MiB"}},
		{"gocloud+mem://", "gocloud", map[string]any{"url": "mem://"}},
		{"gocloud+file:///data?metadata=skip", "gocloud", map[string]any{"url": "file:///data?metadata=skip"}},
	} {
		cfg, err := configmap.ParseURL(tc.url)
		if err != nil {
			t.Errorf("ParseURL(%s): %v", tc.url, err)
			continue
		}
		if cfg.Provider != tc.provider || cfg.Form != "url" || !reflect.DeepEqual(cfg.Params, tc.params) {
			t.Errorf("ParseURL(%s) = %s %v (form %s), want %s %v", tc.url, cfg.Provider, cfg.Params, cfg.Form, tc.provider, tc.params)
		}
	}
}

// TestParseURLValidates checks that a URL's parameters go through the
// same checks as any other form, with secrets redacted.
func TestParseURLValidates(t *testing.T) {
	cfg, err := configmap.ParseURL("s3://b?regoin=us-east-1&secretkey=TOPSECRET&chunksize=1KiB")
	if err != nil {
		t.Fatal(err)
	}
	_, err = cfg.Validate()
	for _, want := range []string{`"regoin": unknown parameter (did you mean "region"?)`, `"chunksize": must be at least`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Validate = %v, want it to mention %s", err, want)
		}
	}
	if err != nil && strings.Contains(err.Error(), "TOPSECRET") {
		t.Errorf("Validate error shows the secret: %v", err)
	}
	if red := cfg.RedactedParams(); red["secretkey"] != configmap.Redacted || red["bucket"] != "b" {
		t.Errorf("RedactedParams = %v", red)
	}
	ok, err := configmap.ParseURL("gocloud+mem://?rootdirectory=/r")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ok.Validate(); err != nil {
		t.Errorf("Validate(gocloud+mem://) = %v", err)
	}
}

func TestParseURLErrors(t *testing.T) {
	for _, tc := range []struct{ url, want string }{
		{"nosuch://b", `unknown scheme "nosuch"`},
		{"s3://AKIA:TOPSECRET@bucket", "credentials in the user info"},
		{"s3://b?bucket=c", "bucket given twice"},
		{"mem://host", "mem:// URLs have no host"},
		{"mem:///path", "mem:// URLs have no path"},
		{"s3:bucket", "expected s3://"},
		{"s3://b?secretkey=TOP%zzSECRET", "bad %-escape"},
		{"s3://b#frag", "fragment"},
		{"s3://b:notaport?secretkey=TOPSECRET", "not a valid URL"},
	} {
		_, err := configmap.ParseURL(tc.url)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParseURL(%s) = %v, want %q", tc.url, err, tc.want)
		}
		if err != nil && strings.Contains(err.Error(), "TOPSECRET") {
			t.Errorf("ParseURL(%s) error shows the secret: %v", tc.url, err)
		}
	}
}

func TestRedactURL(t *testing.T) {
	for in, want := range map[string]string{
		"s3://b/r?region=us-east-1&secretkey=TOPSECRET":         "s3://b/r?region=us-east-1&secretkey=<redacted>",
		"azblob://c?accountname=a&credentials.secret=TOPSECRET": "azblob://c?accountname=a&credentials.secret=<redacted>",
		"swift://c?username=u&password=TOPSECRET&secretkey=TOP": "swift://c?username=u&password=<redacted>&secretkey=<redacted>",
		"nosuch://b?a=TOPSECRET":                                "nosuch://b?a=<redacted>",
		"s3://AKIA:TOPSECRET@b":                                 "s3://AKIA:%3Credacted%3E@b",
		"gocloud+s3://b?region=r":                               "gocloud+s3://b?region=r",
		"::not a url TOPSECRET":                                 configmap.Redacted,
	} {
		if got := configmap.RedactURL(in); got != want {
			t.Errorf("RedactURL(%s) = %s, want %s", in, got, want)
		}
	}
}

// ExampleParseURL reads a storage URL, checks it and prints it with its
// secrets redacted.
func ExampleParseURL() {
	raw := "s3://docker.myregistry.com/registry?region=us-east-1&accesskey=AKIA&secretkey=wJalr"
	cfg, err := configmap.ParseURL(raw)
	if err != nil {
		fmt.Println(err)
		return
	}
	if _, err := cfg.Validate(); err != nil {
		fmt.Println(err)
		return
	}
	p := cfg.RedactedParams()
	fmt.Println(cfg.Provider, p["bucket"], p["rootdirectory"], p["secretkey"])
	fmt.Println(configmap.RedactURL(raw))
	// Output:
	// s3 docker.myregistry.com /registry <redacted>
	// s3://docker.myregistry.com/registry?region=us-east-1&accesskey=AKIA&secretkey=<redacted>
}
