package swift

import (
	"net/url"
	"strings"

	"github.com/stowage/stowage/configmap"
)

// Params are the swift driver's parameters, as found under the swift key
// of a registry configuration.
type Params struct {
	configmap.Defaulted

	AuthURL             string         `param:"authurl" required:"true" desc:"URL of the identity service: Keystone v2.0 or v3, or a v1 auth endpoint such as tempauth's /auth/v1.0."`
	Username            string         `param:"username" required:"true" desc:"OpenStack user name."`
	Password            string         `param:"password" required:"true" secret:"true" desc:"OpenStack password (or v1 API key)."`
	Container           string         `param:"container" required:"true" desc:"Swift container that holds the registry data; created when missing."`
	Region              string         `param:"region" desc:"Region whose object-store endpoint to pick from the identity service's catalog (v2 and v3 auth); empty picks the first."`
	Tenant              string         `param:"tenant" desc:"OpenStack tenant (project) name."`
	TenantID            string         `param:"tenantid" desc:"OpenStack tenant (project) ID."`
	Domain              string         `param:"domain" desc:"OpenStack domain name for Identity v3 API."`
	DomainID            string         `param:"domainid" desc:"OpenStack domain ID for Identity v3 API."`
	TenantDomain        string         `param:"tenantdomain" desc:"Domain name of the tenant (Identity v3), when it differs from the user's domain."`
	TenantDomainID      string         `param:"tenantdomainid" desc:"Domain ID of the tenant (Identity v3), when it differs from the user's domain."`
	TrustID             string         `param:"trustid" desc:"OpenStack trust ID for Identity v3 API."`
	InsecureSkipVerify  bool           `param:"insecureskipverify" default:"false" desc:"Skip TLS server certificate verification."`
	ChunkSize           configmap.Size `param:"chunksize" default:"20MiB" min:"1MiB" max:"5GiB" desc:"Size of the segments of large objects (the upload buffer per writer)."`
	MaxConcurrency      int            `param:"maxconcurrency" default:"4" min:"1" max:"100" desc:"Segments one writer uploads in parallel (memory: (maxconcurrency+1) x chunksize)."`
	Prefix              string         `param:"prefix" desc:"Key prefix under which all objects are stored in the container, to share a container."`
	SecretKey           string         `param:"secretkey" secret:"true" desc:"TempURL key used to sign redirect URLs; installed as the account's (or container's) Temp-URL-Key."`
	AccessKey           string         `param:"accesskey" desc:"Access key for HP Cloud style temporary URLs (signature tenantid:accesskey:hmac); needs secretkey."`
	AuthVersion         int            `param:"authversion" default:"0" min:"0" max:"3" desc:"OpenStack auth version: 1, 2 or 3; 0 detects it from authurl."`
	EndpointType        string         `param:"endpointtype" default:"public" enum:"public,internal,admin" desc:"Endpoint type to pick from the catalog (v2 and v3 auth)."`
	TempURLContainerKey bool           `param:"tempurlcontainerkey" default:"false" desc:"Use the container's Temp-URL key (X-Container-Meta-Temp-Url-Key) instead of the account's."`
	TempURLMethods      []string       `param:"tempurlmethods" default:"GET,HEAD" desc:"Request methods RedirectURL returns a temporary URL for (GET, HEAD)."`
}

// Validate checks the rules that span parameters or need parsing, without
// any request and without changing p.
func (p *Params) Validate() error {
	var ps configmap.Problems
	bad := func(param, msg string) { ps.Add(param, "%s", msg) }

	if u, err := url.Parse(p.AuthURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		bad("authurl", "expected an http:// or https:// URL with a host")
	}
	if p.AuthVersion == 0 && !strings.Contains(p.AuthURL, "v1") && !strings.Contains(p.AuthURL, "v2") && !strings.Contains(p.AuthURL, "v3") {
		bad("authversion", "0 detects the version from authurl, which names none of v1, v2, v3: set 1, 2 or 3")
	}
	switch {
	case strings.Contains(p.Container, "/"):
		bad("container", "a container name cannot contain /")
	case len(p.Container) > 256:
		bad("container", "a container name is at most 256 bytes")
	case strings.ContainsFunc(p.Container, isControl):
		bad("container", "a container name cannot contain control characters")
	}
	if p.Prefix != "" {
		trimmed := strings.Trim(p.Prefix, "/")
		switch {
		case trimmed == "" || strings.Contains(trimmed, "//"):
			bad("prefix", "expected segments separated by single slashes, such as registry/v2")
		case strings.ContainsFunc(trimmed, isControl):
			bad("prefix", "cannot contain control characters")
		case strings.Contains(trimmed, "~"):
			bad("prefix", "cannot contain ~ (the driver keeps upload state under <prefix>/~uploads/ and segments under <prefix>/~segments/)")
		}
		for _, seg := range strings.Split(trimmed, "/") {
			if seg == "." || seg == ".." {
				bad("prefix", "segments . and .. are not allowed")
				break
			}
		}
	}
	v3Only := map[string]string{"domain": p.Domain, "domainid": p.DomainID, "tenantdomain": p.TenantDomain, "tenantdomainid": p.TenantDomainID, "trustid": p.TrustID}
	for _, name := range []string{"domain", "domainid", "tenantdomain", "tenantdomainid", "trustid"} {
		if v3Only[name] != "" && (p.AuthVersion == 1 || p.AuthVersion == 2) {
			bad(name, "only used by Identity v3; authversion is set to 1 or 2")
		}
	}
	if p.AuthVersion == 1 && (p.Tenant != "" || p.TenantID != "") {
		name := "tenant"
		if p.Tenant == "" {
			name = "tenantid"
		}
		bad(name, "not used by v1 auth (authversion 1)")
	}
	if p.AuthVersion == 1 && p.Region != "" {
		bad("region", "not used by v1 auth (authversion 1): the auth response names one storage URL")
	}
	if p.AccessKey != "" && p.SecretKey == "" {
		bad("accesskey", "needs secretkey: the temporary URL signature is made with secretkey")
	}
	if p.AccessKey != "" && p.TempURLContainerKey {
		bad("accesskey", "HP Cloud style temporary URLs cannot be used with tempurlcontainerkey")
	}
	for _, m := range p.TempURLMethods {
		if m := strings.ToUpper(strings.TrimSpace(m)); m != "GET" && m != "HEAD" {
			bad("tempurlmethods", "expected a list of GET and HEAD (redirects are only made for reads), got "+quote(m))
		}
	}
	if len(p.TempURLMethods) == 0 {
		bad("tempurlmethods", "expected at least one of GET, HEAD")
	}
	return ps.Err()
}

// tempURLMethods returns tempurlmethods in upper case.
func (p *Params) tempURLMethods() []string {
	methods := make([]string, len(p.TempURLMethods))
	for i, m := range p.TempURLMethods {
		methods[i] = strings.ToUpper(strings.TrimSpace(m))
	}
	return methods
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }

func quote(s string) string { return `"` + s + `"` }
