package cloudfront

import (
	"crypto"
	"fmt"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/feature/cloudfront/sign"

	"github.com/stowage/stowage/configmap"
)

// DefaultIPRangesURL is where AWS publishes its IP ranges.
const DefaultIPRangesURL = "https://ip-ranges.amazonaws.com/ip-ranges.json"

// Params are the options of the cloudfront middleware, as in the reference
// registry's middleware: storage: [{name: cloudfront, options: {...}}].
type Params struct {
	configmap.Defaulted

	BaseURL         string        `param:"baseurl" required:"true" desc:"URL of the CloudFront distribution, such as https://abcdefghijklmn.cloudfront.net/; its origin path is the driver's root."`
	PrivateKey      string        `param:"privatekey" required:"true" desc:"Path to the PEM file of the CloudFront key pair's private key (RSA, PKCS#1 or PKCS#8)."`
	KeyPairID       string        `param:"keypairid" required:"true" desc:"ID of the CloudFront key pair (or public key) that signs the URLs."`
	Duration        time.Duration `param:"duration" default:"20m" min:"1s" desc:"How long a signed URL is valid."`
	IPFilteredBy    string        `param:"ipfilteredby" default:"none" enum:"none,aws,awsregion" desc:"Which clients bypass CloudFront and get the storage's own URL: none; aws (any AWS address); awsregion (AWS addresses of the regions in awsregion)."`
	AWSRegion       []string      `param:"awsregion" desc:"Comma-separated AWS regions whose addresses bypass CloudFront; required with ipfilteredby: awsregion."`
	UpdateFrequency time.Duration `param:"updatefrequency" default:"12h" min:"1s" desc:"How often the AWS IP ranges are fetched again."`
	IPRangesURL     string        `param:"iprangesurl" default:"https://ip-ranges.amazonaws.com/ip-ranges.json" desc:"URL of the AWS IP ranges JSON document."`
}

// Validate checks the options without reading the private key (see
// CheckFiles), sending any request or changing p.
func (p *Params) Validate() error {
	var ps configmap.Problems
	add := ps.Add
	if u, err := url.Parse(p.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" {
		add("baseurl", "must be an http or https URL such as https://abcdefghijklmn.cloudfront.net/, got %q", p.BaseURL)
	}
	if strings.TrimSpace(p.KeyPairID) != p.KeyPairID || strings.ContainsAny(p.KeyPairID, "/?&= ") {
		add("keypairid", "not a key pair ID, got %q", p.KeyPairID)
	}
	if u, err := url.Parse(p.IPRangesURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		add("iprangesurl", "must be an http or https URL, got %q", p.IPRangesURL)
	}
	switch {
	case p.IPFilteredBy == "awsregion" && len(p.AWSRegion) == 0:
		add("awsregion", "required with ipfilteredby: awsregion (a comma-separated list such as us-east-1,eu-west-1)")
	case p.IPFilteredBy != "awsregion" && len(p.AWSRegion) > 0:
		add("awsregion", "only used with ipfilteredby: awsregion (ipfilteredby is %s)", p.IPFilteredBy)
	}
	for _, r := range p.AWSRegion {
		if r = strings.TrimSpace(r); r == "" || strings.ToLower(r) != r || strings.ContainsAny(r, " /_.") {
			add("awsregion", "not a region name: %q", r)
		}
	}
	return ps.Err()
}

// CheckFiles implements configmap.FileChecker: it loads the private key, as
// New does.
func (p *Params) CheckFiles() error {
	if _, err := loadKey(p.PrivateKey); err != nil {
		return &configmap.Error{Param: "privatekey", Msg: err.Error()}
	}
	return nil
}

// regions returns awsregion without surrounding spaces.
func (p *Params) regions() []string {
	out := make([]string, len(p.AWSRegion))
	for i, r := range p.AWSRegion {
		out[i] = strings.TrimSpace(r)
	}
	return out
}

// loadKey reads an RSA private key in PKCS#1 or PKCS#8 PEM form.
func loadKey(path string) (crypto.Signer, error) {
	if path == "" {
		return nil, fmt.Errorf("required, not set")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read the private key file: %w", err)
	}
	if k, err := sign.LoadPEMPrivKey(strings.NewReader(string(data))); err == nil {
		return k, nil
	}
	k, err := sign.LoadPEMPrivKeyPKCS8AsSigner(strings.NewReader(string(data)))
	if err != nil {
		return nil, fmt.Errorf("%s holds no RSA private key in PEM form (PKCS#1 or PKCS#8)", path)
	}
	return k, nil
}
