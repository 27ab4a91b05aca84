package main

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"strings"
	"testing"
)

// seedCloudFront is seed 000's minimum CloudFront configuration, as given.
const seedCloudFront = `storage:
  s3:
    region: us-east-1
    bucket: docker.myregistry.com
middleware:
  storage:
    - name: cloudfront
      options:
        baseurl: https://abcdefghijklmn.cloudfront.net/
        privatekey: /etc/docker/cloudfront/pk-ABCEDFGHIJKLMNOPQRST.pem
        keypairid: ABCEDFGHIJKLMNOPQRST
`

// privateKeyFile writes a new RSA key in PKCS#1 PEM form and returns its path.
func privateKeyFile(t *testing.T) string {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)})
	return writeFile(t, t.TempDir(), "pk.pem", string(pemBytes))
}

// invalid fails the test unless r is an invalid configuration (exit 2)
// whose output names every one of want.
func invalid(t *testing.T, r result, want ...string) {
	t.Helper()
	if r.code != 2 || !strings.Contains(r.stderr, "invalid configuration") {
		t.Fatalf("want an invalid configuration (exit 2); got %v", r)
	}
	for _, w := range want {
		if !strings.Contains(r.stderr, w) {
			t.Fatalf("output lacks %q: %v", w, r)
		}
	}
}

func TestValidateSeedCloudFront(t *testing.T) {
	dir := t.TempDir()
	seed := writeFile(t, dir, "seed.yml", seedCloudFront)

	// The seed's key file is not on this machine: named, exit 2.
	invalid(t, stowage(t, "config", "validate", seed),
		`middleware.storage[0] (cloudfront): parameter "privatekey": cannot read the private key file`)
	// Skipping local files, it is valid and says what it skipped.
	r := stowage(t, "config", "validate", "--skip-local-files", seed)
	ok(t, r, "validate --skip-local-files")
	for _, want := range []string{"name: cloudfront", "keypairid: ABCEDFGHIJKLMNOPQRST", "duration: 20m0s", "ipfilteredby: none", "bucket: docker.myregistry.com"} {
		if !strings.Contains(r.stdout, want) {
			t.Fatalf("effective config lacks %q: %v", want, r)
		}
	}
	for _, want := range []string{"skipped: middleware.storage[0] (cloudfront)", "valid: storage s3 with storage middleware cloudfront", "1 check(s) skipped"} {
		if !strings.Contains(r.stderr, want) {
			t.Fatalf("stderr lacks %q: %v", want, r)
		}
	}
	// With a real key where the seed says, it is valid as it stands.
	withKey := writeFile(t, dir, "key.yml", strings.Replace(seedCloudFront, "/etc/docker/cloudfront/pk-ABCEDFGHIJKLMNOPQRST.pem", privateKeyFile(t), 1))
	r = stowage(t, "config", "validate", withKey)
	ok(t, r, "validate with a key")
	if !strings.Contains(r.stderr, "0 check(s) skipped") {
		t.Fatalf("validate with a key: %v", r)
	}
}

func TestValidateMiddlewareProblems(t *testing.T) {
	dir := t.TempDir()
	key := privateKeyFile(t)
	good := strings.Replace(seedCloudFront, "/etc/docker/cloudfront/pk-ABCEDFGHIJKLMNOPQRST.pem", key, 1)
	for name, tc := range map[string]struct {
		body string
		want []string
	}{
		"typo": {good + "        duraton: 20m\n",
			[]string{`middleware.storage[0] (cloudfront): parameter "duraton": unknown parameter (did you mean "duration"?)`}},
		"bad enum": {good + "        ipfilteredby: bogus\n",
			[]string{`middleware.storage[0] (cloudfront): parameter "ipfilteredby": expected one of none, aws, awsregion, got "bogus"`}},
		"missing key file": {seedCloudFront,
			[]string{`parameter "privatekey": cannot read the private key file`, "pk-ABCEDFGHIJKLMNOPQRST.pem"}},
		"not a key": {strings.Replace(seedCloudFront, "/etc/docker/cloudfront/pk-ABCEDFGHIJKLMNOPQRST.pem", writeFile(t, dir, "junk.pem", "not a key"), 1),
			[]string{`parameter "privatekey"`, "holds no RSA private key"}},
		"unknown middleware": {good + "    - name: cloudfrnt\n      options: {}\n",
			[]string{`middleware.storage[1] (cloudfrnt): storage middleware "cloudfrnt" is not registered; registered: cloudfront`}},
		"all at once": {good + "        duraton: 20m\n        ipfilteredby: bogus\n    - name: nope\n",
			[]string{"3 problem(s)", `"duraton"`, `"ipfilteredby"`, `"nope" is not registered`}},
	} {
		t.Run(name, func(t *testing.T) {
			file := writeFile(t, dir, strings.ReplaceAll(name, " ", "-")+".yml", tc.body)
			invalid(t, stowage(t, "config", "validate", file), tc.want...)
			// Every command refuses it the same way, before any request.
			invalid(t, stowage(t, "--config", file, "ls", "/"), tc.want...)
		})
	}
}

func TestValidateProviderProblems(t *testing.T) {
	dir := t.TempDir()
	for name, tc := range map[string]struct{ body, want string }{
		"unknown key":   {"storage:\n  s3:\n    region: r\n    bucket: my-bucket\n    regionendpiont: http://x\n", `"regionendpiont": unknown parameter (did you mean "regionendpoint"?)`},
		"bad chunksize": {"storage:\n  s3:\n    region: r\n    bucket: my-bucket\n    chunksize: abc\n", `"chunksize": expected a size in bytes`},
		"no bucket":     {"storage:\n  s3:\n    region: r\n", `"bucket": required`},
		"two providers": {"storage:\n  s3: {bucket: b}\n  gcs: {bucket: b}\n", "more than one provider configured (gcs, s3)"},
	} {
		t.Run(name, func(t *testing.T) {
			r := stowage(t, "config", "validate", writeFile(t, dir, strings.ReplaceAll(name, " ", "-")+".yml", tc.body))
			if r.code != 2 || !strings.Contains(r.stderr, tc.want) {
				t.Fatalf("want exit 2 and %q; got %v", tc.want, r)
			}
		})
	}
}

// TestValidateNumbersOnce: a bound error shows the value once, with its
// unit only where that says more than the number.
func TestValidateNumbersOnce(t *testing.T) {
	dir := t.TempDir()
	r := stowage(t, "config", "validate", writeFile(t, dir, "c.yml", "storage:\n  s3:\n    region: us-east-1\n    bucket: my-bucket\n    chunksize: 5000000\n"))
	invalid(t, r, `"chunksize": must be at least 5MiB, got 5000000`)
	if strings.Contains(r.stderr, "5000000 (5000000)") {
		t.Fatalf("number printed twice: %v", r)
	}
	r = stowage(t, "config", "validate", writeFile(t, dir, "d.yml", "storage:\n  s3:\n    region: us-east-1\n    bucket: my-bucket\n    chunksize: 4MiB\n"))
	invalid(t, r, "got 4194304 (4MiB)")
}

func TestValidateGoodAndWarnings(t *testing.T) {
	dir := t.TempDir()
	r := stowage(t, "config", "validate", writeFile(t, dir, "good.yml", "storage:\n  s3:\n    region: us-east-1\n    bucket: my-bucket\n    accesskey: AK\n    secretkey: TOPSECRET\n"))
	ok(t, r, "validate good")
	if !strings.Contains(r.stdout, "chunksize: 10MiB") || !strings.Contains(r.stdout, "secretkey: <redacted>") || strings.Contains(r.stdout+r.stderr, "TOPSECRET") {
		t.Fatalf("validate good: %v", r)
	}
	// Seed 000: keyid without encrypt is ignored by the reference
	// registry: valid, with a warning.
	r = stowage(t, "config", "validate", writeFile(t, dir, "keyid.yml", "storage:\n  s3:\n    region: us-east-1\n    bucket: docker.myregistry.com\n    keyid: arn:aws:kms:us-east-1:123456789012:key/abcd\n"))
	ok(t, r, "keyid without encrypt")
	if !strings.Contains(r.stderr, `warning: storage.s3: parameter "keyid" is ignored without encrypt`) || !strings.Contains(r.stderr, "1 warning(s)") {
		t.Fatalf("keyid without encrypt: %v", r)
	}
	// The README's Azure example, placeholder key and all.
	r = stowage(t, "config", "validate", writeFile(t, dir, "azure.yml", "storage:\n  azure:\n    accountname: myaccount\n    accountkey: base64key==\n    container: registry\n"))
	ok(t, r, "README azure example")
	if strings.Contains(r.stdout+r.stderr, "base64key==") {
		t.Fatalf("account key printed: %v", r)
	}
}

func TestValidateNeedsInput(t *testing.T) {
	if r := stowage(t, "config", "validate"); r.code != 2 || !strings.Contains(r.stderr, "give FILE, --config FILE, --set keys or --storage URL") {
		t.Fatalf("validate without input: %v", r)
	}
}
