package configmap_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stowage/stowage/configmap"
)

type section struct {
	Type   string `param:"type" default:"shared_key" enum:"shared_key,client_secret" desc:"Credential type."`
	Secret string `param:"secret" secret:"true" desc:"Client secret."`
}

type params struct {
	configmap.Defaulted
	Bucket    string         `param:"bucket" required:"true" desc:"Bucket."`
	Secure    bool           `param:"secure" default:"true" desc:"HTTPS."`
	Chunk     configmap.Size `param:"chunksize" default:"10MiB" min:"5MiB" max:"5GiB" desc:"Part size."`
	Class     string         `param:"storageclass" default:"STANDARD" enum:"NONE,STANDARD,REDUCED_REDUNDANCY" desc:"Class."`
	Key       string         `param:"secretkey" secret:"true" desc:"Secret key."`
	Threads   int            `param:"maxthreads" default:"100" min:"25" desc:"Threads."`
	Duration  time.Duration  `param:"duration" default:"20m" desc:"Duration."`
	Regions   []string       `param:"awsregion" desc:"Regions."`
	Cred      section        `param:"credentials" desc:"Credentials."`
	KeyID     string         `param:"keyid" desc:"KMS key."`
	Encrypted bool           `param:"encrypt" desc:"Encrypt."`
}

func (p *params) Validate() error {
	if p.KeyID != "" && !p.Encrypted {
		return &configmap.Error{Param: "keyid", Msg: "needs encrypt: true"}
	}
	return nil
}

func TestDecodeLooseTypes(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   map[string]any
		want func(p params) bool
	}{
		{"defaults", map[string]any{"bucket": "b"}, func(p params) bool {
			return p.Secure && p.Chunk == 10<<20 && p.Class == "STANDARD" && p.Threads == 100 && p.Duration == 20*time.Minute && p.Cred.Type == "shared_key"
		}},
		{"bool as string", map[string]any{"bucket": "b", "secure": "false"}, func(p params) bool { return !p.Secure }},
		{"bool as YAML", map[string]any{"bucket": "b", "secure": false}, func(p params) bool { return !p.Secure }},
		{"bool as 0", map[string]any{"bucket": "b", "secure": 0}, func(p params) bool { return !p.Secure }},
		{"size as int", map[string]any{"bucket": "b", "chunksize": 6291456}, func(p params) bool { return p.Chunk == 6<<20 }},
		{"size as float", map[string]any{"bucket": "b", "chunksize": 6291456.0}, func(p params) bool { return p.Chunk == 6<<20 }},
		{"size as string", map[string]any{"bucket": "b", "chunksize": "6291456"}, func(p params) bool { return p.Chunk == 6<<20 }},
		{"size with unit", map[string]any{"bucket": "b", "chunksize": "6MiB"}, func(p params) bool { return p.Chunk == 6<<20 }},
		{"int as string", map[string]any{"bucket": "b", "maxthreads": "30"}, func(p params) bool { return p.Threads == 30 }},
		{"enum folds case", map[string]any{"bucket": "b", "storageclass": "reduced_redundancy"}, func(p params) bool { return p.Class == "REDUCED_REDUNDANCY" }},
		{"key case", map[string]any{"BUCKET": "b"}, func(p params) bool { return p.Bucket == "b" }},
		{"list from string", map[string]any{"bucket": "b", "awsregion": "us-east-1,us-west-2"}, func(p params) bool { return len(p.Regions) == 2 }},
		{"list from YAML", map[string]any{"bucket": "b", "awsregion": []any{"us-east-1"}}, func(p params) bool { return len(p.Regions) == 1 }},
		{"nested section", map[string]any{"bucket": "b", "credentials": map[string]any{"type": "client_secret", "secret": "s"}}, func(p params) bool {
			return p.Cred.Type == "client_secret" && p.Cred.Secret == "s"
		}},
		{"empty string means default", map[string]any{"bucket": "b", "chunksize": ""}, func(p params) bool { return p.Chunk == 10<<20 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var p params
			if err := configmap.Decode(tc.in, &p); err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if !tc.want(p) {
				t.Fatalf("decoded %+v", p)
			}
		})
	}
}

func TestDecodeErrorsNameTheParameter(t *testing.T) {
	for _, tc := range []struct {
		name  string
		in    map[string]any
		param string
		text  string
	}{
		{"missing required", map[string]any{}, "bucket", "required"},
		{"unknown key", map[string]any{"bucket": "b", "bukcet": "x"}, "bukcet", `did you mean "bucket"`},
		{"bad size", map[string]any{"bucket": "b", "chunksize": "abc"}, "chunksize", "a size in bytes"},
		{"size below min", map[string]any{"bucket": "b", "chunksize": "1MiB"}, "chunksize", "at least 5MiB"},
		{"size above max", map[string]any{"bucket": "b", "chunksize": "6GiB"}, "chunksize", "at most 5GiB"},
		{"fractional size", map[string]any{"bucket": "b", "chunksize": 5242880.5}, "chunksize", "a size in bytes"},
		{"bad bool", map[string]any{"bucket": "b", "secure": "maybe"}, "secure", "true or false"},
		{"bad enum", map[string]any{"bucket": "b", "storageclass": "GOLD"}, "storageclass", "one of NONE, STANDARD, REDUCED_REDUNDANCY"},
		{"int below min", map[string]any{"bucket": "b", "maxthreads": 3}, "maxthreads", "at least 25"},
		{"bad int", map[string]any{"bucket": "b", "maxthreads": "many"}, "maxthreads", "a whole number"},
		{"duration without unit", map[string]any{"bucket": "b", "duration": 20}, "duration", "a duration"},
		{"map for string", map[string]any{"bucket": map[string]any{"a": 1}}, "bucket", "a string"},
		{"nested enum", map[string]any{"bucket": "b", "credentials": map[string]any{"type": "magic"}}, "credentials.type", "one of"},
		{"nested unknown", map[string]any{"bucket": "b", "credentials": map[string]any{"tenant": "x"}}, "credentials.tenant", "accepted: type, secret"},
		{"section not a map", map[string]any{"bucket": "b", "credentials": "x"}, "credentials", "map"},
		{"cross-field rule", map[string]any{"bucket": "b", "keyid": "k"}, "keyid", "needs encrypt"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var p params
			err := configmap.Decode(tc.in, &p)
			var ce *configmap.Error
			if !errors.As(err, &ce) {
				t.Fatalf("Decode(%v) = %v, want a *configmap.Error", tc.in, err)
			}
			var found bool
			for _, e := range err.(configmap.Errors) {
				if e.Param == tc.param && strings.Contains(e.Msg, tc.text) {
					found = true
				}
			}
			if !found {
				t.Fatalf("Decode(%v) = %v, want an error on %q containing %q", tc.in, err, tc.param, tc.text)
			}
		})
	}
}

func TestSecretsNeverInErrors(t *testing.T) {
	var p params
	err := configmap.Decode(map[string]any{"secretkey": map[string]any{"x": "TOPSECRET"}, "credentials": map[string]any{"secret": []any{"TOPSECRET"}}}, &p)
	if err == nil || strings.Contains(err.Error(), "TOPSECRET") {
		t.Fatalf("error %v leaks a secret", err)
	}
	red := configmap.Redact(map[string]any{"bucket": "b", "secretkey": "TOPSECRET", "credentials": map[string]any{"secret": "TOPSECRET"}}, &p)
	if strings.Contains(stringify(red), "TOPSECRET") || red["bucket"] != "b" {
		t.Fatalf("Redact = %v", red)
	}
	_ = configmap.Decode(map[string]any{"bucket": "b", "secretkey": "TOPSECRET"}, &p)
	if eff := configmap.Effective(&p); strings.Contains(stringify(eff), "TOPSECRET") || eff["secretkey"] != configmap.Redacted {
		t.Fatalf("Effective = %v", eff)
	}
}

func stringify(v any) string { return strings.ReplaceAll(strings.TrimSpace(fmtAny(v)), "\n", " ") }

func TestErrorsReportEverythingAtOnce(t *testing.T) {
	var p params
	err := configmap.Decode(map[string]any{"chunksize": "x", "secure": "y", "nope": 1}, &p)
	if es, ok := err.(configmap.Errors); !ok || len(es) != 4 {
		t.Fatalf("want 4 errors (chunksize, secure, nope, bucket), got %v", err)
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{
		"0": 0, "5242880": 5 << 20, "5MiB": 5 << 20, "5Mi": 5 << 20, "5mib": 5 << 20, "5MB": 5e6, "5M": 5e6,
		"1.5GiB": 3 << 29, "256KiB": 256 << 10, "1TiB": 1 << 40, "10B": 10, " 7 MiB ": 7 << 20,
	} {
		got, err := configmap.ParseSize(in)
		if err != nil || int64(got) != want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "abc", "-1", "1.3B", "5XB", "99999999999TiB", "NaN", "Inf"} {
		if _, err := configmap.ParseSize(bad); err == nil {
			t.Errorf("ParseSize(%q): no error", bad)
		}
	}
	if s := configmap.Size(10 << 20).String(); s != "10MiB" {
		t.Errorf("String() = %q", s)
	}
}
