package s3

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/stowage/stowage/configmap"
	"github.com/stowage/stowage/driver"
)

func validParams() map[string]any {
	return map[string]any{"region": "us-east-1", "bucket": "my-bucket"}
}

// TestBadParams checks that a bad value of every parameter is refused
// before any request, with an error naming the parameter.
func TestBadParams(t *testing.T) {
	for _, tc := range []struct {
		param string
		set   map[string]any
	}{
		{"accesskey", map[string]any{"secretkey": "s"}},
		{"accesskey", map[string]any{"accesskey": "a b", "secretkey": "s"}},
		{"secretkey", map[string]any{"accesskey": "a"}},
		{"sessiontoken", map[string]any{"sessiontoken": "t"}},
		{"region", map[string]any{"region": ""}},
		{"region", map[string]any{"region": "Not A Region"}},
		{"regionendpoint", map[string]any{"regionendpoint": "ftp://x"}},
		{"regionendpoint", map[string]any{"regionendpoint": "http://"}},
		{"forcepathstyle", map[string]any{"forcepathstyle": "maybe"}},
		{"bucket", map[string]any{"bucket": ""}},
		{"bucket", map[string]any{"bucket": "a"}},
		{"bucket", map[string]any{"bucket": "bad/name"}},
		{"encrypt", map[string]any{"encrypt": "yes please"}},
		{"keyid", map[string]any{"encrypt": true, "keyid": "bad key"}},
		{"secure", map[string]any{"secure": "sometimes"}},
		{"skipverify", map[string]any{"skipverify": "nope"}},
		{"v4auth", map[string]any{"v4auth": "x"}},
		{"v4auth", map[string]any{"v4auth": false}},
		{"chunksize", map[string]any{"chunksize": "1MiB"}},
		{"chunksize", map[string]any{"chunksize": "6GiB"}},
		{"chunksize", map[string]any{"chunksize": "lots"}},
		{"rootdirectory", map[string]any{"rootdirectory": "a//b"}},
		{"rootdirectory", map[string]any{"rootdirectory": "a/../b"}},
		{"storageclass", map[string]any{"storageclass": "COLD"}},
		{"storageclass", map[string]any{"storageclass": "EXPRESS_ONEZONE"}},
		{"objectacl", map[string]any{"objectacl": "everyone"}},
		{"loglevel", map[string]any{"loglevel": "verbose"}},
		{"redirectendpoint", map[string]any{"redirectendpoint": "cdn.example.com"}},
		{"redirectendpoint", map[string]any{"redirectendpoint": "https://cdn.example.com/path"}},
		{"redirectendpoint", map[string]any{"redirectendpoint": "https://cdn.example.com", "disableredirect": true}},
		{"disableredirect", map[string]any{"disableredirect": "sometimes"}},
		{"usedualstack", map[string]any{"usedualstack": "x"}},
		{"usedualstack", map[string]any{"usedualstack": true, "regionendpoint": "http://127.0.0.1:9000"}},
		{"accelerate", map[string]any{"accelerate": "x"}},
		{"accelerate", map[string]any{"accelerate": true}},
		{"accelerate", map[string]any{"accelerate": true, "forcepathstyle": false, "regionendpoint": "http://127.0.0.1:9000"}},
		{"usefipsendpoint", map[string]any{"usefipsendpoint": "x"}},
		{"usefipsendpoint", map[string]any{"usefipsendpoint": true, "regionendpoint": "http://127.0.0.1:9000"}},
		{"useragent", map[string]any{"useragent": "a\nb"}},
		{"multipartcopychunksize", map[string]any{"multipartcopychunksize": "1MiB"}},
		{"multipartcopychunksize", map[string]any{"multipartcopychunksize": "6GiB"}},
		{"multipartcopymaxconcurrency", map[string]any{"multipartcopymaxconcurrency": 0}},
		{"multipartcopymaxconcurrency", map[string]any{"multipartcopymaxconcurrency": 10001}},
		{"multipartcopymaxconcurrency", map[string]any{"multipartcopymaxconcurrency": "many"}},
		{"multipartcopythresholdsize", map[string]any{"multipartcopythresholdsize": -1}},
		{"multipartcopythresholdsize", map[string]any{"multipartcopythresholdsize": "6GiB"}},
		{"maxconcurrency", map[string]any{"maxconcurrency": 0}},
		{"maxconcurrency", map[string]any{"maxconcurrency": "x"}},
		{"checksummode", map[string]any{"checksummode": "always"}},
		{"nosuchparam", map[string]any{"nosuchparam": 1}},
	} {
		t.Run(tc.param, func(t *testing.T) {
			params := validParams()
			for k, v := range tc.set {
				params[k] = v
			}
			_, err := driver.Open(context.Background(), Name, params)
			if err == nil {
				t.Fatalf("%v accepted", tc.set)
			}
			var ce *configmap.Error
			if !errors.As(err, &ce) {
				t.Fatalf("error %v is not a *configmap.Error", err)
			}
			named := false
			var es configmap.Errors
			_ = errors.As(err, &es)
			for _, e := range es {
				if e.Param == tc.param {
					named = true
				}
			}
			if !named {
				t.Fatalf("error does not name %s: %v", tc.param, err)
			}
			for _, secret := range []string{"secretvalue"} {
				if strings.Contains(err.Error(), secret) {
					t.Fatalf("secret in error: %v", err)
				}
			}
		})
	}
}

func TestGoodParams(t *testing.T) {
	for _, set := range []map[string]any{
		{},
		{"region": "", "regionendpoint": "127.0.0.1:9000", "secure": false},
		{"region": "mars-central-7"},
		{"accesskey": "AK", "secretkey": "secretvalue", "sessiontoken": "tok"},
		{"encrypt": true, "keyid": "arn:aws:kms:us-east-1:123456789012:key/abcd-ef"},
		{"storageclass": "none", "objectacl": "BUCKET-OWNER-FULL-CONTROL", "loglevel": "DebugWithSigning"},
		{"v4auth": "false", "regionendpoint": "https://minio.example.com"},
		{"chunksize": 5242880, "multipartcopythresholdsize": 0, "checksummode": "when_supported"},
		{"usedualstack": true, "usefipsendpoint": true, "accelerate": true, "forcepathstyle": false},
		{"redirectendpoint": "https://cdn.example.com/", "rootdirectory": "/registry/v2/"},
	} {
		params := validParams()
		for k, v := range set {
			params[k] = v
		}
		d, err := driver.Open(context.Background(), "s3", params)
		if err != nil {
			t.Errorf("%v: %v", set, err)
			continue
		}
		if d.Name() != "s3" {
			t.Errorf("Name() = %q", d.Name())
		}
	}
	var p Params
	if err := configmap.Decode(map[string]any{"region": "r1", "bucket": "bkt", "storageclass": "reduced_redundancy", "secretkey": "secretvalue", "accesskey": "a"}, &p); err != nil {
		t.Fatal(err)
	}
	if p.StorageClass != "REDUCED_REDUNDANCY" || !p.ForcePathStyle || !p.Secure || !p.V4Auth || p.ChunkSize != 10<<20 ||
		p.MaxConcurrency != 4 || p.MultipartCopyMaxConcurrency != 100 || p.ObjectACL != "private" || p.ChecksumMode != "when_required" {
		t.Fatalf("defaults: %+v", p)
	}
	if red := configmap.Redact(map[string]any{"secretkey": "secretvalue"}, &p); red["secretkey"] == "secretvalue" {
		t.Fatal("secretkey not redacted")
	}
}

// TestParamsLiteral checks that a Params built in Go is decided as one
// decoded from YAML: the declared defaults for the fields left at their
// zero value (v4auth true, chunksize 10MiB...), the same checks.
func TestParamsLiteral(t *testing.T) {
	d, err := newDriver(context.Background(), Params{Region: "us-east-1", Bucket: "bucket"})
	if err != nil {
		t.Fatalf("literal Params: %v", err)
	}
	if !d.p.V4Auth || !d.p.Secure || d.p.ChunkSize != 10<<20 || d.p.MaxConcurrency != 4 || d.p.StorageClass != "STANDARD" {
		t.Fatalf("literal Params did not get the defaults: %+v", d.p)
	}
	_, err = New(context.Background(), Params{Region: "us-east-1", Bucket: "bucket", ChunkSize: 1 << 20})
	if err == nil || !strings.Contains(err.Error(), `"chunksize": must be at least 5MiB`) {
		t.Fatalf("chunksize 1MiB in a literal: %v, want the bound named", err)
	}
	// A parameter whose default is true is set to false from Defaults.
	p := configmap.Defaults[Params]()
	p.Region, p.Bucket, p.RegionEndpoint, p.V4Auth = "us-east-1", "bucket", "http://127.0.0.1:9000", false
	if d, err := newDriver(context.Background(), p); err != nil || d.p.V4Auth {
		t.Fatalf("v4auth false from Defaults: %v, v4auth %v", err, d != nil && d.p.V4Auth)
	}
	var es configmap.Errors
	if _, err := New(context.Background(), Params{Bucket: "bucket"}); !errors.As(err, &es) || !strings.Contains(err.Error(), `"region"`) {
		t.Fatalf("missing region: %v", err)
	}
}

// TestKeyIDWithoutEncrypt checks the seed's rule: keyid without encrypt is
// ignored, with a warning, not refused.
func TestKeyIDWithoutEncrypt(t *testing.T) {
	var p Params
	if err := configmap.Decode(map[string]any{"region": "us-east-1", "bucket": "bkt", "keyid": "k"}, &p); err != nil {
		t.Fatalf("keyid without encrypt refused: %v", err)
	}
	if w := p.Warnings(); len(w) != 1 || !strings.Contains(w[0], "keyid") {
		t.Fatalf("Warnings = %q, want one naming keyid", w)
	}
	d, err := newDriver(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	if sse, key := d.sse(); sse != "" || key != nil {
		t.Fatalf("keyid without encrypt encrypted: %q %v", sse, key)
	}
}
