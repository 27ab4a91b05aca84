package s3

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/stowage/stowage/configmap"
	"github.com/stowage/stowage/internal/layout"
)

// maxParts is the largest number of parts of one multipart upload.
const maxParts = 10000

// Params are the parameters of the s3 driver, as in the reference
// registry's storage.s3 section.
type Params struct {
	configmap.Defaulted

	AccessKey      string `param:"accesskey" desc:"AWS access key ID. Omit (with secretkey) to use the SDK's default credential chain: environment, shared files, IRSA, ECS and EC2 instance roles."`
	SecretKey      string `param:"secretkey" secret:"true" desc:"AWS secret access key; required with accesskey."`
	SessionToken   string `param:"sessiontoken" secret:"true" desc:"Session token of temporary credentials, with accesskey and secretkey."`
	Region         string `param:"region" desc:"AWS region of the bucket, such as us-east-1. Required unless regionendpoint is set."`
	RegionEndpoint string `param:"regionendpoint" desc:"Endpoint URL of an S3-compatible service (MinIO, Ceph...); without a scheme, secure chooses http or https."`
	ForcePathStyle bool   `param:"forcepathstyle" default:"true" desc:"Address buckets as endpoint/bucket/key instead of bucket.endpoint/key."`
	Bucket         string `param:"bucket" required:"true" desc:"Name of the bucket that holds the data; it must exist."`
	Encrypt        bool   `param:"encrypt" desc:"Encrypt objects on the server side: SSE-S3 (AES256), or SSE-KMS with keyid."`
	KeyID          string `param:"keyid" desc:"KMS key ID for SSE-KMS; needs encrypt."`
	Secure         bool   `param:"secure" default:"true" desc:"Use HTTPS when regionendpoint has no scheme (and for AWS itself)."`
	SkipVerify     bool   `param:"skipverify" desc:"Skip TLS certificate verification."`
	V4Auth         bool   `param:"v4auth" default:"true" desc:"Sign requests with Signature Version 4; false signs with Version 2 (S3-compatible services only, needs regionendpoint)."`

	ChunkSize     configmap.Size `param:"chunksize" default:"10MiB" min:"5MiB" max:"5GiB" desc:"Part size of multipart uploads."`
	RootDirectory string         `param:"rootdirectory" desc:"Prefix applied to every key, to keep the registry's data apart in the bucket."`
	StorageClass  string         `param:"storageclass" default:"STANDARD" enum:"NONE,STANDARD,REDUCED_REDUNDANCY,STANDARD_IA,ONEZONE_IA,INTELLIGENT_TIERING,OUTPOSTS,GLACIER_IR,EXPRESS_ONEZONE" desc:"Storage class of every object written; NONE sends no storage class header."`
	ObjectACL     string         `param:"objectacl" default:"private" enum:"private,public-read,public-read-write,authenticated-read,aws-exec-read,bucket-owner-read,bucket-owner-full-control,log-delivery-write" desc:"Canned ACL of every object written."`
	LogLevel      string         `param:"loglevel" default:"off" enum:"off,debug,debugwithsigning,debugwithhttpbody,debugwithrequestretries,debugwithrequesterrors,debugwitheventstreambody" desc:"What the S3 client logs (through log/slog at debug level)."`

	RedirectEndpoint string `param:"redirectendpoint" desc:"scheme://host[:port] put in redirect URLs instead of the API endpoint, such as a public name of a private endpoint."`
	DisableRedirect  bool   `param:"disableredirect" desc:"Never return redirect URLs: the registry serves blobs itself."`
	UseDualStack     bool   `param:"usedualstack" desc:"Use the dual-stack (IPv4 and IPv6) AWS endpoint."`
	Accelerate       bool   `param:"accelerate" desc:"Use the S3 Transfer Acceleration endpoint."`
	UseFIPSEndpoint  bool   `param:"usefipsendpoint" desc:"Use the FIPS 140-2 AWS endpoint."`
	UserAgent        string `param:"useragent" desc:"Extra text appended to the User-Agent header."`

	MultipartCopyChunkSize      configmap.Size `param:"multipartcopychunksize" default:"32MiB" min:"5MiB" max:"5GiB" desc:"Part size when Move copies a large object in parts."`
	MultipartCopyMaxConcurrency int            `param:"multipartcopymaxconcurrency" default:"100" min:"1" max:"10000" desc:"Parallel part copies of one multipart copy."`
	MultipartCopyThresholdSize  configmap.Size `param:"multipartcopythresholdsize" default:"32MiB" min:"0" max:"5GiB" desc:"Objects larger than this are moved with a multipart copy, smaller ones with one CopyObject."`
	MaxConcurrency              int            `param:"maxconcurrency" default:"4" min:"1" max:"1000" desc:"Parallel part uploads of one writer (memory: (maxconcurrency+1) x chunksize)."`
	ChecksumMode                string         `param:"checksummode" default:"when_required" enum:"when_supported,when_required" desc:"When the client computes request checksums and validates response checksums."`
}

var (
	bucketName = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9._-]{1,253}[a-zA-Z0-9]$`)
	regionName = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)
	keyIDChars = regexp.MustCompile(`^[A-Za-z0-9:/_+=.,@-]+$`)
)

// Validate checks the rules that span parameters, without any request and
// without changing p.
func (p *Params) Validate() error {
	var ps configmap.Problems
	if !bucketName.MatchString(p.Bucket) || strings.Contains(p.Bucket, "..") {
		ps.Add("bucket", "not a valid bucket name: 3 to 255 characters among letters, digits, . _ -, starting and ending with a letter or digit; got %q", p.Bucket)
	}
	p.validateCredentials(&ps)
	p.validateLocation(&ps)
	p.validateWrites(&ps)
	p.validateRedirect(&ps)
	return ps.Err()
}

func (p *Params) validateCredentials(ps *configmap.Problems) {
	if p.AccessKey != "" && p.SecretKey == "" {
		ps.Add("secretkey", "required with accesskey (give both, or neither to use the default credential chain)")
	}
	if p.SecretKey != "" && p.AccessKey == "" {
		ps.Add("accesskey", "required with secretkey (give both, or neither to use the default credential chain)")
	}
	if p.SessionToken != "" && (p.AccessKey == "" || p.SecretKey == "") {
		ps.Add("sessiontoken", "needs accesskey and secretkey")
	}
	if strings.ContainsAny(p.AccessKey, " \t\r\n") {
		ps.Add("accesskey", "must not contain white space")
	}
}

// validateLocation checks where requests go: region, endpoint, signing,
// and the options that apply to AWS only.
func (p *Params) validateLocation(ps *configmap.Problems) {
	if p.Region != "" && !regionName.MatchString(p.Region) {
		ps.Add("region", "not a region name (lower-case letters, digits and dashes, such as us-east-1), got %q", p.Region)
	}
	if p.RegionEndpoint == "" && p.Region == "" {
		ps.Add("region", "required unless regionendpoint is set (the AWS region of the bucket, such as us-east-1)")
	}
	if _, err := p.endpoint(); err != nil {
		ps.Add("regionendpoint", "must be a URL such as https://s3.example.com or host:port with scheme http or https, got %q", p.RegionEndpoint)
	}
	if !p.V4Auth && p.RegionEndpoint == "" {
		ps.Add("v4auth", "false (Signature Version 2) is only for S3-compatible services given by regionendpoint: AWS refuses it")
	}
	if p.Accelerate && p.RegionEndpoint != "" {
		ps.Add("accelerate", "applies to AWS only, not to regionendpoint")
	} else if p.Accelerate && p.ForcePathStyle {
		ps.Add("accelerate", "needs forcepathstyle: false (Transfer Acceleration addresses buckets by host name)")
	}
	if p.UseFIPSEndpoint && p.RegionEndpoint != "" {
		ps.Add("usefipsendpoint", "applies to AWS only, not to regionendpoint")
	}
	if p.UseDualStack && p.RegionEndpoint != "" {
		ps.Add("usedualstack", "applies to AWS only, not to regionendpoint")
	}
	if strings.ContainsAny(p.UserAgent, "\r\n") {
		ps.Add("useragent", "must not contain line breaks")
	}
}

// validateWrites checks what every write carries and where it goes.
func (p *Params) validateWrites(ps *configmap.Problems) {
	if p.KeyID != "" && p.Encrypt && !keyIDChars.MatchString(p.KeyID) {
		ps.Add("keyid", "not a KMS key ID, ARN or alias, got %q", p.KeyID)
	}
	if msg := layout.RootProblem(p.RootDirectory); msg != "" {
		ps.Add("rootdirectory", "%s", msg)
	}
	if p.StorageClass == "EXPRESS_ONEZONE" && p.RegionEndpoint == "" && !strings.HasSuffix(p.Bucket, "--x-s3") {
		ps.Add("storageclass", "EXPRESS_ONEZONE needs a directory bucket (name ending in --x-s3), got bucket %q", p.Bucket)
	}
}

func (p *Params) validateRedirect(ps *configmap.Problems) {
	if p.RedirectEndpoint != "" {
		u, err := url.Parse(p.RedirectEndpoint)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.User != nil {
			ps.Add("redirectendpoint", "must be scheme://host[:port] with scheme http or https, got %q", p.RedirectEndpoint)
		}
	}
	if p.DisableRedirect && p.RedirectEndpoint != "" {
		ps.Add("redirectendpoint", "has no effect with disableredirect: true; remove one of them")
	}
}

// Warnings implements configmap.Warner.
func (p *Params) Warnings() []string {
	if p.KeyID != "" && !p.Encrypt {
		return []string{`parameter "keyid" is ignored without encrypt: true (objects are stored without server-side encryption), as the reference registry does`}
	}
	return nil
}

// endpoint returns the API endpoint URL of regionendpoint ("" for AWS's
// own), with the scheme secure chooses when it has none.
func (p *Params) endpoint() (string, error) {
	if p.RegionEndpoint == "" {
		return "", nil
	}
	ep := p.RegionEndpoint
	if !strings.Contains(ep, "://") {
		if p.Secure {
			ep = "https://" + ep
		} else {
			ep = "http://" + ep
		}
	}
	u, err := url.Parse(ep)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("not an endpoint URL: %q", p.RegionEndpoint)
	}
	return strings.TrimSuffix(u.String(), "/"), nil
}

// logMode maps loglevel to the SDK's log mode bits.
func (p *Params) logMode() aws.ClientLogMode {
	switch p.LogLevel {
	case "debug":
		return aws.LogRequest | aws.LogResponse
	case "debugwithsigning":
		return aws.LogSigning | aws.LogRequest | aws.LogResponse
	case "debugwithhttpbody":
		return aws.LogRequestWithBody | aws.LogResponseWithBody
	case "debugwithrequestretries":
		return aws.LogRetries | aws.LogRequest | aws.LogResponse
	case "debugwithrequesterrors":
		return aws.LogRequest | aws.LogResponse | aws.LogRetries
	case "debugwitheventstreambody":
		return aws.LogRequestEventMessage | aws.LogResponseEventMessage | aws.LogRequest | aws.LogResponse
	}
	return 0
}
