package s3

import (
	"context"
	"crypto/hmac"
	"crypto/sha1" //nolint:gosec // Signature Version 2 is HMAC-SHA1 by definition
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/smithy-go/logging"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// Signature Version 2 (v4auth: false), for S3-compatible services that
// still want it. aws-sdk-go-v2 only signs with Version 4, so the driver
// swaps the SDK's signing step for this one.

// subresources are the query parameters that are part of the signed
// resource, in the order they are signed.
var subresources = []string{
	"acl", "cors", "delete", "encryption", "legal-hold", "lifecycle", "location", "logging",
	"notification", "partNumber", "policy", "requestPayment",
	"response-cache-control", "response-content-disposition", "response-content-encoding",
	"response-content-language", "response-content-type", "response-expires",
	"retention", "select", "select-type", "tagging", "torrent", "uploadId", "uploads",
	"versionId", "versioning", "versions", "website",
}

// signV2Middleware replaces the SDK's "Signing" finalize step.
type signV2Middleware struct {
	creds      aws.CredentialsProvider
	logSigning bool
	logger     logging.Logger
	bucket     string
}

func (*signV2Middleware) ID() string { return "Signing" }

func (m *signV2Middleware) HandleFinalize(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (
	middleware.FinalizeOutput, middleware.Metadata, error,
) {
	req, ok := in.Request.(*smithyhttp.Request)
	if !ok {
		return middleware.FinalizeOutput{}, middleware.Metadata{}, fmt.Errorf("s3: signature v2: unexpected request type %T", in.Request)
	}
	if m.creds == nil {
		return next.HandleFinalize(ctx, in)
	}
	creds, err := m.creds.Retrieve(ctx)
	if err != nil {
		return middleware.FinalizeOutput{}, middleware.Metadata{}, fmt.Errorf("s3: retrieve credentials: %w", err)
	}
	if creds.SessionToken != "" {
		req.Header.Set("X-Amz-Security-Token", creds.SessionToken)
	}
	req.Header.Del("X-Amz-Date")
	req.Header.Set("Date", time.Now().UTC().Format(http.TimeFormat))
	sts := stringToSignV2(req.Method, req.Header, req.URL, req.Host, m.bucket, "")
	if m.logSigning && m.logger != nil {
		m.logger.Logf(logging.Debug, "Signature Version 2 string to sign:\n%s", sts)
	}
	req.Header.Set("Authorization", "AWS "+creds.AccessKeyID+":"+signV2(creds.SecretAccessKey, sts))
	return next.HandleFinalize(ctx, in)
}

// useSignatureV2 returns an API option that signs with Version 2.
func useSignatureV2(bucket string, creds aws.CredentialsProvider, logSigning bool, logger logging.Logger) func(*middleware.Stack) error {
	return func(s *middleware.Stack) error {
		_, err := s.Finalize.Swap("Signing", &signV2Middleware{creds: creds, logSigning: logSigning, logger: logger, bucket: bucket})
		return err
	}
}

func signV2(secret, stringToSign string) string {
	h := hmac.New(sha1.New, []byte(secret))
	h.Write([]byte(stringToSign))
	return base64.StdEncoding.EncodeToString(h.Sum(nil))
}

// stringToSignV2 builds the Version 2 string to sign. date is the Expires
// value of a presigned URL, or "" to use the Date header.
func stringToSignV2(method string, h http.Header, u *url.URL, host, bucket, date string) string {
	if date == "" {
		date = h.Get("Date")
	}
	var amz []string
	vals := map[string]string{}
	for k, v := range h {
		lk := strings.ToLower(k)
		if strings.HasPrefix(lk, "x-amz-") {
			amz = append(amz, lk)
			vals[lk] = strings.Join(v, ",")
		}
	}
	slices.Sort(amz)
	var b strings.Builder
	b.WriteString(method + "\n" + h.Get("Content-Md5") + "\n" + h.Get("Content-Type") + "\n" + date + "\n")
	for _, k := range amz {
		b.WriteString(k + ":" + vals[k] + "\n")
	}
	b.WriteString(canonicalResourceV2(u, host, bucket))
	return b.String()
}

// canonicalResourceV2 is the escaped path, with the bucket in front for
// virtual-hosted requests, and the signed subresources.
func canonicalResourceV2(u *url.URL, host, bucket string) string {
	res := u.EscapedPath()
	if res == "" {
		res = "/"
	}
	if host == "" {
		host = u.Host
	}
	if h, _, ok := strings.Cut(host, ":"); ok {
		host = h
	}
	// Virtual-hosted style (bucket.endpoint): the bucket is part of the
	// signed resource.
	if bucket != "" && strings.HasPrefix(host, bucket+".") {
		res = "/" + bucket + res
	}
	q := u.Query()
	var parts []string
	for _, k := range subresources {
		vs, ok := q[k]
		if !ok {
			continue
		}
		if len(vs) == 0 || vs[0] == "" {
			parts = append(parts, k)
		} else {
			parts = append(parts, k+"="+vs[0])
		}
	}
	if len(parts) > 0 {
		res += "?" + strings.Join(parts, "&")
	}
	return res
}

// presignerV2 presigns URLs with Signature Version 2 query parameters
// (AWSAccessKeyId, Expires, Signature) for the SDK's presign client.
type presignerV2 struct{ bucket string }

// PresignHTTP implements s3.HTTPPresignerV4.
func (ps presignerV2) PresignHTTP(_ context.Context, creds aws.Credentials, r *http.Request, _, _, _ string, signingTime time.Time, _ ...func(*v4.SignerOptions)) (string, http.Header, error) {
	q := r.URL.Query()
	expires := 15 * time.Minute
	if s := q.Get("X-Amz-Expires"); s != "" {
		if n, err := strconv.Atoi(s); err == nil {
			expires = time.Duration(n) * time.Second
		}
	}
	q.Del("X-Amz-Expires")
	exp := strconv.FormatInt(signingTime.Add(expires).Unix(), 10)
	h := http.Header{}
	if creds.SessionToken != "" {
		h.Set("X-Amz-Security-Token", creds.SessionToken)
		q.Set("X-Amz-Security-Token", creds.SessionToken)
	}
	u := *r.URL
	u.RawQuery = q.Encode()
	sig := signV2(creds.SecretAccessKey, stringToSignV2(r.Method, h, &u, r.Host, ps.bucket, exp))
	q.Set("AWSAccessKeyId", creds.AccessKeyID)
	q.Set("Expires", exp)
	q.Set("Signature", sig)
	u.RawQuery = q.Encode()
	return u.String(), http.Header{}, nil
}
