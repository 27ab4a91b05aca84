package gcs

import (
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"strings"

	"github.com/stowage/stowage/configmap"
	"github.com/stowage/stowage/internal/layout"
)

// chunkAlign is the granularity of resumable upload chunks.
const chunkAlign = 256 << 10

// Params are the parameters of the gcs driver.
type Params struct {
	configmap.Defaulted

	Bucket            string         `param:"bucket" required:"true" desc:"Name of the Google Cloud Storage bucket that holds the data."`
	Credentials       any            `param:"credentials" secret:"true" desc:"Contents of a service account key file (JSON), as a string or as a YAML map. Default: keyfile, or Application Default Credentials."`
	KeyFile           string         `param:"keyfile" desc:"Path to a service account key file (JSON). Exclusive with credentials."`
	RootDirectory     string         `param:"rootdirectory" desc:"Prefix applied to every object key, to keep the registry's data apart in the bucket."`
	ChunkSize         configmap.Size `param:"chunksize" default:"16MiB" min:"256KiB" max:"5GiB" desc:"Size of the parts of an upload, and of each request of a resumable upload; a multiple of 256 KiB."`
	UserAgent         string         `param:"useragent" desc:"User-Agent header sent with every request."`
	MaxConcurrency    int            `param:"maxconcurrency" default:"50" min:"1" max:"1000" desc:"Largest number of parallel requests when deleting a directory or the parts of an upload."`
	UploadConcurrency int            `param:"uploadconcurrency" default:"4" min:"1" max:"100" desc:"Parts of chunksize one writer uploads in parallel, composed at Commit (memory: (uploadconcurrency+1) x chunksize); 1 streams each writer session into one part with a resumable upload."`
	Endpoint          string         `param:"endpoint" desc:"JSON API endpoint, for emulators and private endpoints, such as http://127.0.0.1:4443/storage/v1/."`
	Anonymous         bool           `param:"anonymous" desc:"Send no credentials (emulators, public buckets). Exclusive with credentials and keyfile."`
}

var bucketName = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$`)

// credential types accepted in credentials and keyfile.
var credTypes = []string{"service_account", "authorized_user", "impersonated_service_account", "external_account", "external_account_authorized_user", "gdch_service_account"}

// Validate checks the rules that span parameters and the contents of
// inline credentials, without reading files, sending any request or
// changing p. The key file is checked by CheckFiles, and read by New.
func (p *Params) Validate() error {
	var ps configmap.Problems
	if !bucketName.MatchString(p.Bucket) || strings.Contains(p.Bucket, "..") {
		ps.Add("bucket", "not a valid bucket name: 3 to 222 characters among a-z 0-9 . _ -, starting and ending with a letter or digit; got %q", p.Bucket)
	}
	if p.ChunkSize%chunkAlign != 0 {
		ps.Add("chunksize", "must be a multiple of 256 KiB (262144 bytes), got %d (%s)", int64(p.ChunkSize), p.ChunkSize)
	}
	if msg := layout.RootProblem(p.RootDirectory); msg != "" {
		ps.Add("rootdirectory", "%s", msg)
	}
	if p.Endpoint != "" {
		u, err := url.Parse(p.Endpoint)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			ps.Add("endpoint", "must be an absolute http or https URL, got %q", p.Endpoint)
		}
	}
	if strings.ContainsAny(p.UserAgent, "\r\n") {
		ps.Add("useragent", "must not contain line breaks")
	}
	switch {
	case p.Credentials != nil && p.KeyFile != "":
		ps.Add("credentials", "credentials and keyfile are exclusive: give one")
	case p.Anonymous && (p.Credentials != nil || p.KeyFile != ""):
		ps.Add("anonymous", "anonymous sends no credentials: remove credentials and keyfile, or set anonymous to false")
	case p.Credentials != nil:
		if _, _, err := p.credentials(); err != nil {
			ps.Add("credentials", "%v", err)
		}
	}
	return ps.Err()
}

// CheckFiles implements configmap.FileChecker: it reads keyfile and checks
// its contents, as New will.
func (p *Params) CheckFiles() error {
	if p.KeyFile == "" {
		return nil
	}
	if _, _, err := p.credentials(); err != nil {
		return &configmap.Error{Param: "keyfile", Msg: err.Error()}
	}
	return nil
}

// credentials returns the credentials JSON, from credentials or read from
// keyfile, and its type; nil for Application Default Credentials.
func (p *Params) credentials() ([]byte, string, error) {
	var b []byte
	var err error
	switch {
	case p.Credentials != nil:
		b, err = credentialsJSON(p.Credentials)
	case p.KeyFile != "":
		b, err = os.ReadFile(p.KeyFile)
	default:
		return nil, "", nil
	}
	if err != nil {
		return nil, "", err
	}
	typ, err := checkCredentials(b)
	if err != nil {
		return nil, "", err
	}
	return b, typ, nil
}

// credentialsJSON turns the credentials parameter, a JSON string or a map
// decoded from YAML, into JSON bytes.
func credentialsJSON(v any) ([]byte, error) {
	switch c := v.(type) {
	case string:
		return []byte(strings.TrimSpace(c)), nil
	case []byte:
		return c, nil
	case map[string]any, map[any]any:
		b, err := json.Marshal(normalise(c))
		if err != nil {
			return nil, fmt.Errorf("cannot encode the map as JSON: %v", err)
		}
		return b, nil
	}
	return nil, fmt.Errorf("expected the key file's JSON as a string or a map, got %T", v)
}

// normalise converts the map[any]any of some YAML decoders to map[string]any.
func normalise(v any) any {
	switch m := v.(type) {
	case map[any]any:
		out := make(map[string]any, len(m))
		for k, x := range m {
			out[fmt.Sprint(k)] = normalise(x)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(m))
		for k, x := range m {
			out[k] = normalise(x)
		}
		return out
	case []any:
		out := make([]any, len(m))
		for i, x := range m {
			out[i] = normalise(x)
		}
		return out
	}
	return v
}

type keyFile struct {
	Type         string `json:"type"`
	ClientEmail  string `json:"client_email"`
	PrivateKey   string `json:"private_key"`
	PrivateKeyID string `json:"private_key_id"`
}

// checkCredentials checks that b is a credentials file of a known type and,
// for a service account, that it holds a usable private key. Messages never
// quote the contents.
func checkCredentials(b []byte) (string, error) {
	var k keyFile
	if err := json.Unmarshal(b, &k); err != nil {
		return "", fmt.Errorf("not a JSON credentials file (%s)", jsonProblem(err))
	}
	known := false
	for _, t := range credTypes {
		if k.Type == t {
			known = true
		}
	}
	if !known {
		return "", fmt.Errorf("credentials type must be one of %s, got %q", strings.Join(credTypes, ", "), k.Type)
	}
	if k.Type == "service_account" {
		if k.ClientEmail == "" {
			return "", fmt.Errorf("service account key has no client_email")
		}
		if _, err := parseKey([]byte(k.PrivateKey)); err != nil {
			return "", err
		}
	}
	return k.Type, nil
}

func jsonProblem(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return fmt.Sprintf("syntax error at byte %d", se.Offset)
	case errors.As(err, &te):
		return fmt.Sprintf("field %q has the wrong type", te.Field)
	}
	return "malformed"
}

// parseKey parses a PEM private key (PKCS#8 or PKCS#1).
func parseKey(pemKey []byte) (any, error) {
	blk, _ := pem.Decode(pemKey)
	if blk == nil {
		return nil, fmt.Errorf("service account key has no PEM private_key")
	}
	if k, err := x509.ParsePKCS8PrivateKey(blk.Bytes); err == nil {
		return k, nil
	}
	if k, err := x509.ParsePKCS1PrivateKey(blk.Bytes); err == nil {
		return k, nil
	}
	return nil, fmt.Errorf("service account private_key is not a PKCS#8 or PKCS#1 key")
}
