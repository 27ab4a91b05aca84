package azure

import (
	"encoding/base64"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/stowage/stowage/configmap"
	"github.com/stowage/stowage/internal/layout"
)

// Credential types.
const (
	SharedKey          = "shared_key"
	ClientSecret       = "client_secret"
	DefaultCredentials = "default_credentials"
)

// Params are the parameters of the azure driver.
type Params struct {
	configmap.Defaulted

	AccountName   string        `param:"accountname" required:"true" desc:"Name of the Azure Storage account."`
	AccountKey    string        `param:"accountkey" secret:"true" desc:"Primary or secondary key of the storage account (shared key authentication)."`
	Container     string        `param:"container" required:"true" desc:"Name of the container that holds the data."`
	Realm         string        `param:"realm" default:"core.windows.net" desc:"Domain name suffix of the Storage API endpoint (core.chinacloudapi.cn, core.usgovcloudapi.net, ...)."`
	Credentials   Credentials   `param:"credentials" desc:"How to authenticate."`
	ServiceURL    string        `param:"serviceurl" desc:"Blob service URL; default https://<accountname>.blob.<realm>/ (set it for Azurite or private endpoints)."`
	RootDirectory string        `param:"rootdirectory" desc:"Prefix applied to every blob name, to keep the registry's data apart in the container."`
	MaxRetries    int           `param:"maxretries" default:"5" min:"0" max:"100" desc:"How many times a failed request is retried."`
	RetryDelay    time.Duration `param:"retrydelay" default:"100ms" min:"1ms" max:"1m" desc:"Delay before the first retry; later retries back off exponentially."`
	SkipVerify    bool          `param:"skipverify" desc:"Do not verify the server's TLS certificate (test servers only)."`

	MaxConcurrency int `param:"maxconcurrency" default:"4" min:"1" max:"1000" desc:"Parallel block uploads (4 MiB each) of one writer (memory: (maxconcurrency+1) x 4 MiB)."`
}

// Credentials is the credentials section.
type Credentials struct {
	Type     string `param:"type" enum:"shared_key,client_secret,default_credentials" desc:"shared_key (accountkey), client_secret (an Entra ID application) or default_credentials (environment, workload identity, managed identity, Azure CLI). Default: shared_key when accountkey is set, default_credentials otherwise."`
	TenantID string `param:"tenantid" desc:"Entra ID tenant of the application (client_secret)."`
	ClientID string `param:"clientid" desc:"Application (client) ID (client_secret)."`
	Secret   string `param:"secret" secret:"true" desc:"Client secret of the application (client_secret)."`
}

var (
	accountName   = regexp.MustCompile(`^[a-z0-9]{3,24}$`)
	containerName = regexp.MustCompile(`^[a-z0-9](?:[a-z0-9]|-[a-z0-9]){2,62}$`)
	realmName     = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+$`)
)

// Validate checks the rules that span parameters, without sending any
// request or changing p.
func (p *Params) Validate() error {
	var ps configmap.Problems
	if !accountName.MatchString(p.AccountName) {
		ps.Add("accountname", "must be 3 to 24 lower-case letters and digits, got %q", p.AccountName)
	}
	if len(p.Container) > 63 || !containerName.MatchString(p.Container) {
		ps.Add("container", "must be 3 to 63 lower-case letters, digits and single hyphens, starting and ending with a letter or digit, got %q", p.Container)
	}
	if !realmName.MatchString(p.Realm) {
		ps.Add("realm", "must be a domain name such as core.windows.net, got %q", p.Realm)
	}
	if p.ServiceURL != "" {
		u, err := url.Parse(p.ServiceURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" {
			ps.Add("serviceurl", "must be an absolute http or https URL without query, got %q", p.ServiceURL)
		}
	}
	if msg := layout.RootProblem(p.RootDirectory); msg != "" {
		ps.Add("rootdirectory", "%s", msg)
	}
	c := p.Credentials
	switch p.credentialType() {
	case SharedKey:
		if p.AccountKey == "" {
			ps.Add("accountkey", "required by credentials.type shared_key")
		}
	case ClientSecret:
		for _, f := range []struct{ name, val string }{{"tenantid", c.TenantID}, {"clientid", c.ClientID}, {"secret", c.Secret}} {
			if f.val == "" {
				ps.Add("credentials."+f.name, "required by credentials.type client_secret")
			}
		}
	}
	return ps.Err()
}

// Warnings implements configmap.Warner: an accountkey that is not base64
// (such as a documentation placeholder) is accepted by validation, and
// refused, naming the parameter, when the driver opens.
func (p *Params) Warnings() []string {
	if p.AccountKey == "" {
		return nil
	}
	if b, err := base64.StdEncoding.DecodeString(p.AccountKey); err != nil || len(b) == 0 {
		return []string{`parameter "accountkey" is not the base64 key the portal shows: opening the driver will fail`}
	}
	return nil
}

// credentialType returns credentials.type, or its default: shared_key when
// accountkey is set, default_credentials otherwise.
func (p *Params) credentialType() string {
	switch {
	case p.Credentials.Type != "":
		return p.Credentials.Type
	case p.AccountKey != "":
		return SharedKey
	}
	return DefaultCredentials
}

// serviceURL returns the blob service URL, ending with "/".
func (p *Params) serviceURL() string {
	u := p.ServiceURL
	if u == "" {
		u = "https://" + p.AccountName + ".blob." + p.Realm + "/"
	}
	if !strings.HasSuffix(u, "/") {
		u += "/"
	}
	return u
}
