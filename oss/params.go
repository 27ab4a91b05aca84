package oss

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/stowage/stowage/configmap"
)

// maxParts is the largest number of parts of one multipart upload.
const maxParts = 10000

// Params are the parameters of the oss driver, as in the reference
// registry's storage.oss section.
type Params struct {
	configmap.Defaulted

	AccessKeyID     string `param:"accesskeyid" required:"true" desc:"Access key ID of the Alibaba Cloud account or RAM user."`
	AccessKeySecret string `param:"accesskeysecret" required:"true" secret:"true" desc:"Access key secret matching accesskeyid."`
	Region          string `param:"region" required:"true" desc:"OSS region ID, such as oss-cn-hangzhou; with internal and secure it gives the endpoint when endpoint is empty."`
	Bucket          string `param:"bucket" required:"true" desc:"Name of the OSS bucket that holds the data; it must exist."`
	Endpoint        string `param:"endpoint" desc:"Endpoint domain name (or URL) for OSS, such as oss-cn-hangzhou.aliyuncs.com or a custom domain; empty derives it from region."`
	Internal        bool   `param:"internal" desc:"Use the region's internal (VPC) endpoint, <region>-internal.aliyuncs.com, when endpoint is empty."`
	Encrypt         bool   `param:"encrypt" desc:"Encrypt objects on the server side: AES256, or KMS with encryptionkeyid."`
	EncryptionKeyID string `param:"encryptionkeyid" desc:"KMS key ID for server-side encryption with KMS; needs encrypt."`
	Secure          bool   `param:"secure" default:"true" desc:"Use HTTPS (when endpoint has no scheme)."`

	ChunkSize      configmap.Size `param:"chunksize" default:"10MiB" min:"5MiB" max:"5GiB" desc:"Part size of multipart uploads."`
	MaxConcurrency int            `param:"maxconcurrency" default:"4" min:"1" max:"1000" desc:"Parallel part uploads of one writer (memory: (maxconcurrency+1) x chunksize)."`
	RootDirectory  string         `param:"rootdirectory" desc:"Prefix applied to every object key, to keep the registry's data apart in the bucket."`

	MultipartCopyThresholdSize configmap.Size `param:"multipartcopythresholdsize" default:"1GiB" min:"0" max:"1GiB" desc:"Move copies objects larger than this with UploadPartCopy in parts, smaller ones with one CopyObject (at most 1 GiB)."`
	MultipartCopyChunkSize     configmap.Size `param:"multipartcopychunksize" default:"256MiB" min:"5MiB" max:"5GiB" desc:"Part size when Move copies a large object in parts."`
}

var (
	bucketName = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$`)
	regionID   = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)+$`)
	keyIDChars = regexp.MustCompile(`^[A-Za-z0-9:/_.+=@-]+$`)
	rootChars  = regexp.MustCompile(`^[A-Za-z0-9._/-]*$`)
)

// Validate implements configmap.Validator: it checks the parameters that
// tags cannot, without changing p.
func (p *Params) Validate() error {
	var ps configmap.Problems
	if strings.TrimSpace(p.AccessKeyID) == "" || strings.ContainsAny(p.AccessKeyID, " \t\r\n:") {
		ps.Add("accesskeyid", "must be an access key ID without spaces or colons")
	}
	if strings.TrimSpace(p.AccessKeySecret) == "" || strings.ContainsAny(p.AccessKeySecret, "\r\n") {
		ps.Add("accesskeysecret", "must be a non-empty access key secret on one line")
	}
	if !regionID.MatchString(p.Region) {
		ps.Add("region", "must be an OSS region ID such as oss-cn-hangzhou (lower-case letters, digits and dashes), got %q", p.Region)
	}
	if !bucketName.MatchString(p.Bucket) {
		ps.Add("bucket", "must be 3 to 63 lower-case letters, digits and dashes, starting and ending with a letter or digit, got %q", p.Bucket)
	}
	if p.EncryptionKeyID != "" {
		if !p.Encrypt {
			ps.Add("encryptionkeyid", "needs encrypt: true")
		} else if !keyIDChars.MatchString(p.EncryptionKeyID) {
			ps.Add("encryptionkeyid", "must be a KMS key ID or ARN")
		}
	}
	root := strings.Trim(p.RootDirectory, "/")
	if !rootChars.MatchString(p.RootDirectory) || strings.Contains(root, "//") {
		ps.Add("rootdirectory", "must be a key prefix of letters, digits, '.', '_', '-' and single '/', got %q", p.RootDirectory)
	}
	if _, err := p.endpointURL(); err != nil {
		ps.Add("endpoint", "%v", err)
	}
	return ps.Err()
}

// endpointURL returns scheme://host[:port] of endpoint, or of the region's
// public or internal endpoint when endpoint is empty.
func (p *Params) endpointURL() (string, error) {
	scheme := "https"
	if !p.Secure {
		scheme = "http"
	}
	if p.Endpoint == "" {
		region := p.Region
		if !strings.HasPrefix(region, "oss-") {
			region = "oss-" + region
		}
		if p.Internal {
			region += "-internal"
		}
		return scheme + "://" + region + ".aliyuncs.com", nil
	}
	e := p.Endpoint
	if !strings.Contains(e, "://") {
		e = scheme + "://" + e
	}
	u, err := url.Parse(e)
	if err != nil {
		return "", fmt.Errorf("must be a host name or URL: %v", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", fmt.Errorf("scheme must be http or https, got %q", u.Scheme)
	}
	if u.Host == "" || u.Hostname() == "" || strings.ContainsAny(u.Host, " @") {
		return "", fmt.Errorf("must name a host, got %q", p.Endpoint)
	}
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("must be a host name without a path, got %q", p.Endpoint)
	}
	return u.Scheme + "://" + u.Host, nil
}

// ResolvedEndpoint returns the endpoint the driver uses, scheme://host[:port],
// from endpoint, or from region, internal and secure ("" when they are not
// valid).
func (p *Params) ResolvedEndpoint() string {
	e, _ := p.endpointURL()
	return e
}
