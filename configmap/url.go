package configmap

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/stowage/stowage/driver"
)

// urlForm says how the URLs of one scheme map onto a driver's parameters:
// which parameter the host is (none when host is ""), which the path is
// (none when path is ""). The query gives the other parameters by name.
type urlForm struct {
	provider, host, path string
}

// urlForms are the storage URL schemes: the Go CDK's (s3, gs, azblob,
// file, mem) and one per other adapter, each with its provider's
// parameters.
var urlForms = map[string]urlForm{
	"s3":     {"s3", "bucket", "rootdirectory"},
	"gs":     {"gcs", "bucket", "rootdirectory"},
	"gcs":    {"gcs", "bucket", "rootdirectory"},
	"azblob": {"azure", "container", "rootdirectory"},
	"azure":  {"azure", "container", "rootdirectory"},
	"swift":  {"swift", "container", "prefix"},
	"oss":    {"oss", "bucket", "rootdirectory"},
	"file":   {"filesystem", "", "rootdirectory"},
	"mem":    {"inmemory", "", ""},
}

// gocloudScheme prefixes the scheme of a Go CDK bucket URL given to the
// gocloud driver: gocloud+s3://bucket?region=us-east-1.
const gocloudScheme = "gocloud+"

// ParseURL reads a storage configuration given as one URL, as with
// "stowage --storage URL":
//
//	s3://BUCKET[/ROOT]?region=us-east-1&regionendpoint=http://minio:9000
//	gs://BUCKET[/ROOT]?keyfile=/etc/gcs.json          (also gcs://)
//	azblob://CONTAINER[/ROOT]?accountname=ACCOUNT      (also azure://)
//	swift://CONTAINER[/PREFIX]?authurl=...&username=...
//	oss://BUCKET[/ROOT]?region=oss-cn-hangzhou&accesskeyid=...
//	file:///PATH                                       (the filesystem driver)
//	mem://                                             (the inmemory driver)
//	gocloud+SCHEME://...                               (the gocloud driver)
//
// The host is the bucket or container and the path the root directory
// (Swift's prefix); every query parameter is the driver's parameter of
// that name, nested ones dotted (credentials.type=client_secret). A
// gocloud+ URL is a Go CDK bucket URL for the gocloud driver: the query
// parameters named as the gocloud driver's own (rootdirectory, chunksize,
// ...) go to the driver, the URL without them and without "gocloud+" is
// its url parameter.
//
// The result is checked like any other form, with Validate, which names
// every bad parameter with secrets redacted. Errors of ParseURL never
// quote the URL, which may hold secrets; RedactURL gives a printable form.
// Credentials in the URL's user info are refused: a query parameter named
// as the driver's (such as secretkey) is redacted wherever stowage prints
// it, but the environment (REGISTRY_STORAGE_S3_SECRETKEY, or the
// provider's own variables) keeps secrets out of command lines and logs.
func ParseURL(rawURL string) (*StorageConfig, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("config: storage URL: %s", urlProblem(err))
	}
	if u.User != nil {
		return nil, errors.New("config: storage URL: credentials in the user info (user:password@) are not accepted: use the driver's parameters or its environment variables")
	}
	if u.Fragment != "" || strings.HasSuffix(rawURL, "#") {
		return nil, errors.New("config: storage URL: a fragment (#...) is not accepted")
	}
	if u.Opaque != "" {
		return nil, fmt.Errorf("config: storage URL: %s: expected %s://HOST/PATH?QUERY", u.Scheme, u.Scheme)
	}
	scheme := strings.ToLower(u.Scheme)
	if inner, ok := strings.CutPrefix(scheme, gocloudScheme); ok && inner != "" {
		return gocloudURL(u, inner)
	}
	form, ok := urlForms[scheme]
	if !ok {
		return nil, fmt.Errorf("config: storage URL: unknown scheme %q; accepted: %s, %sSCHEME", u.Scheme, strings.Join(schemes(), ", "), gocloudScheme)
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return nil, fmt.Errorf("config: storage URL: query: %s", urlProblem(err))
	}
	params := QueryParams(q)
	set := func(name, value, what string) error {
		if value == "" {
			return nil
		}
		if name == "" {
			return fmt.Errorf("config: storage URL: %s:// URLs have no %s", scheme, what)
		}
		for k := range params {
			if strings.EqualFold(k, name) {
				return fmt.Errorf("config: storage URL: %s given twice: as the URL's %s and as a query parameter", name, what)
			}
		}
		params[name] = value
		return nil
	}
	host := u.Host
	if scheme == "file" && host == "localhost" {
		host = ""
	}
	if err := set(form.host, host, "host"); err != nil {
		return nil, err
	}
	path := u.Path
	if strings.Trim(path, "/") == "" {
		path = ""
	}
	if err := set(form.path, path, "path"); err != nil {
		return nil, err
	}
	return &StorageConfig{Provider: form.provider, Params: params, Form: "url"}, nil
}

// gocloudURL is ParseURL for gocloud+SCHEME:// URLs.
func gocloudURL(u *url.URL, inner string) (*StorageConfig, error) {
	own, err := gocloudParams()
	if err != nil {
		return nil, err
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return nil, fmt.Errorf("config: storage URL: query: %s", urlProblem(err))
	}
	mine := url.Values{}
	for k, v := range q {
		if slices.Contains(own, strings.ToLower(k)) {
			mine[k] = v
			q.Del(k)
		}
	}
	cdk := *u
	cdk.Scheme = inner
	cdk.RawQuery = q.Encode()
	params := QueryParams(mine)
	s := cdk.String()
	if !strings.HasPrefix(s, inner+"://") { // mem:// without host or path prints as mem:
		s = inner + "://" + strings.TrimPrefix(s, inner+":")
	}
	params["url"] = s
	return &StorageConfig{Provider: "gocloud", Params: params, Form: "url"}, nil
}

// gocloudParams returns the names of the gocloud driver's parameters other
// than url, from its declaration.
func gocloudParams() ([]string, error) {
	f, ok := driver.Lookup("gocloud")
	if !ok {
		return nil, errors.New("config: storage URL: gocloud+ URLs need the gocloud driver: import github.com/stowage/stowage/gocloud (or .../all)")
	}
	var names []string
	if d, ok := f.(driver.ParamsDeclarer); ok {
		for _, p := range Flatten(Describe(d.NewParams())) {
			if p.Name != "url" {
				names = append(names, p.Name)
			}
		}
	}
	return names, nil
}

// QueryParams turns URL query values into driver parameters: a dotted name
// is a nested parameter (credentials.type=...), and a name given more than
// once a list.
func QueryParams(q url.Values) map[string]any {
	params := map[string]any{}
	for k, vs := range q {
		var v any = vs[0]
		if len(vs) > 1 {
			list := make([]any, len(vs))
			for i, s := range vs {
				list[i] = s
			}
			v = list
		}
		setPath(params, strings.Split(k, "."), v)
	}
	return params
}

// RedactURL returns rawURL with the value of every secret query parameter
// of its driver replaced by Redacted (every value, when the driver is not
// registered or the URL cannot be read), and any password of its user
// info too: the URL as it may be printed.
func RedactURL(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return Redacted
	}
	if u.User != nil {
		if _, set := u.User.Password(); set {
			u.User = url.UserPassword(u.User.Username(), Redacted)
		}
	}
	secret := secretParams(u)
	parts := strings.Split(u.RawQuery, "&")
	for i, part := range parts {
		k, _, hasValue := strings.Cut(part, "=")
		name, err := url.QueryUnescape(k)
		if hasValue && (err != nil || secret == nil || secret[strings.ToLower(name)]) {
			parts[i] = k + "=" + Redacted
		}
	}
	u.RawQuery = strings.Join(parts, "&")
	u.Fragment = ""
	return u.String()
}

// secretParams returns the names (lower case, dotted) of the secret
// parameters of the driver a URL names, or nil when unknown.
func secretParams(u *url.URL) map[string]bool {
	scheme := strings.ToLower(u.Scheme)
	provider := urlForms[scheme].provider
	if strings.HasPrefix(scheme, gocloudScheme) {
		provider = "gocloud"
	}
	f, ok := driver.Lookup(provider)
	if !ok {
		return nil
	}
	d, ok := f.(driver.ParamsDeclarer)
	if !ok {
		return nil
	}
	out := map[string]bool{}
	for _, p := range Flatten(Describe(d.NewParams())) {
		if p.Secret {
			out[p.Name] = true
		}
	}
	return out
}

// urlProblem says what is wrong with a URL without quoting it.
func urlProblem(err error) string {
	var ee url.EscapeError
	var he url.InvalidHostError
	switch {
	case errors.As(err, &ee):
		return "not a valid URL: a bad %-escape"
	case errors.As(err, &he):
		return "not a valid URL: a character not allowed in a host"
	}
	return "not a valid URL"
}

func schemes() []string {
	out := make([]string, 0, len(urlForms))
	for s := range urlForms {
		out = append(out, s)
	}
	slices.Sort(out)
	return out
}
