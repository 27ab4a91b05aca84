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
)

// chunkAlign is the granularity of resumable upload chunks.
const chunkAlign = 256 << 10

// Params are the parameters of the gcs driver.
type Params struct {
	Bucket         string         `param:"bucket" required:"true" desc:"Name of the Google Cloud Storage bucket that holds the data."`
	Credentials    any            `param:"credentials" secret:"true" desc:"Contents of a service account key file (JSON), as a string or as a YAML map. Default: keyfile, or Application Default Credentials."`
	KeyFile        string         `param:"keyfile" desc:"Path to a service account key file (JSON). Exclusive with credentials."`
	RootDirectory  string         `param:"rootdirectory" desc:"Prefix applied to every object key, to keep the registry's data apart in the bucket."`
	ChunkSize      configmap.Size `param:"chunksize" default:"16MiB" min:"256KiB" max:"5GiB" desc:"Size of each request of a resumable upload; a multiple of 256 KiB."`
	UserAgent      string         `param:"useragent" desc:"User-Agent header sent with every request."`
	MaxConcurrency int            `param:"maxconcurrency" default:"50" min:"1" max:"1000" desc:"Largest number of parallel requests when deleting a directory or the parts of an upload."`
	Endpoint       string         `param:"endpoint" desc:"JSON API endpoint, for emulators and private endpoints, such as http://127.0.0.1:4443/storage/v1/."`
	Anonymous      bool           `param:"anonymous" desc:"Send no credentials (emulators, public buckets). Exclusive with credentials and keyfile."`

	// Set by Validate.
	credJSON []byte
	credType string
}

var bucketName = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$`)

// credential types accepted in credentials and keyfile.
var credTypes = []string{"service_account", "authorized_user", "impersonated_service_account", "external_account", "external_account_authorized_user", "gdch_service_account"}

// Validate checks the rules that span parameters and the contents of the
// credentials, without sending any request.
func (p *Params) Validate() error {
	var errs configmap.Errors
	add := func(param, format string, args ...any) {
		errs = append(errs, &configmap.Error{Param: param, Msg: fmt.Sprintf(format, args...)})
	}
	if !bucketName.MatchString(p.Bucket) || strings.Contains(p.Bucket, "..") {
		add("bucket", "not a valid bucket name: 3 to 222 characters among a-z 0-9 . _ -, starting and ending with a letter or digit; got %q", p.Bucket)
	}
	if p.ChunkSize%chunkAlign != 0 {
		add("chunksize", "must be a multiple of 256 KiB (262144 bytes), got %d (%s)", int64(p.ChunkSize), p.ChunkSize)
	}
	root := strings.Trim(p.RootDirectory, "/")
	for _, seg := range strings.Split(root, "/") {
		if root != "" && (seg == "" || seg == "." || seg == "..") {
			add("rootdirectory", "must be slash-separated names without empty, . or .. segments, got %q", p.RootDirectory)
			break
		}
	}
	if p.Endpoint != "" {
		u, err := url.Parse(p.Endpoint)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			add("endpoint", "must be an absolute http or https URL, got %q", p.Endpoint)
		}
	}
	if strings.ContainsAny(p.UserAgent, "\r\n") {
		add("useragent", "must not contain line breaks")
	}
	if p.Credentials != nil && p.KeyFile != "" {
		add("credentials", "credentials and keyfile are exclusive: give one")
	}
	if p.Anonymous && (p.Credentials != nil || p.KeyFile != "") {
		add("anonymous", "anonymous sends no credentials: remove credentials and keyfile, or set anonymous to false")
	}
	if len(errs) == 0 {
		switch {
		case p.Credentials != nil:
			b, err := credentialsJSON(p.Credentials)
			if err == nil {
				p.credType, err = checkCredentials(b)
			}
			if err != nil {
				add("credentials", "%v", err)
			}
			p.credJSON = b
		case p.KeyFile != "":
			b, err := os.ReadFile(p.KeyFile)
			if err == nil {
				p.credType, err = checkCredentials(b)
			}
			if err != nil {
				add("keyfile", "%v", err)
			}
			p.credJSON = b
		}
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
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
