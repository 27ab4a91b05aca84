package s3

import (
	"context"
	"crypto/tls"
	"fmt"
	"net/http"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/stowage/stowage/driver"
	"github.com/stowage/stowage/internal/onewrite"
	"github.com/stowage/stowage/internal/redact"
)

// loadConfig builds the SDK configuration: region, credentials (static, or
// the SDK's default chain), logging through o.Logger and the HTTP client.
// The SDK's buildable client goes through the configuration, which applies
// AWS_CA_BUNDLE and the like; a client given in o goes to the S3 client as
// is (see clientOptions).
func loadConfig(ctx context.Context, p Params, o driver.Options) (aws.Config, error) {
	region := p.Region
	if region == "" {
		region = "us-east-1"
	}
	loadOpts := []func(*config.LoadOptions) error{
		config.WithRegion(region),
		// The SDK's request and signing dumps carry signatures and the
		// session token: they go through the one redaction of stowage.
		config.WithLogger(slogLogger{redact.Logger(o.Logger, p.SecretKey, p.SessionToken)}),
		config.WithClientLogMode(p.logMode()),
	}
	if o.HTTPClient == nil {
		loadOpts = append(loadOpts, config.WithHTTPClient(awshttp.NewBuildableClient().WithTransportOptions(func(tr *http.Transport) {
			tr.MaxIdleConnsPerHost = 256
			if p.SkipVerify {
				if tr.TLSClientConfig == nil {
					tr.TLSClientConfig = &tls.Config{}
				}
				tr.TLSClientConfig.InsecureSkipVerify = true //nolint:gosec // asked for by skipverify
			}
		})))
	}
	if p.AccessKey != "" {
		loadOpts = append(loadOpts, config.WithCredentialsProvider(
			credentials.NewStaticCredentialsProvider(p.AccessKey, p.SecretKey, p.SessionToken)))
	}
	cfg, err := config.LoadDefaultConfig(ctx, loadOpts...)
	if err != nil {
		return aws.Config{}, fmt.Errorf("s3: load AWS configuration: %w", err)
	}
	return cfg, nil
}

// clientOptions sets up an S3 client for endpoint ("" for AWS's own),
// signing with Signature Version 2 when sigV2.
func clientOptions(p Params, o driver.Options, endpoint string, sigV2 bool) func(*s3.Options) {
	return func(so *s3.Options) {
		if o.HTTPClient != nil {
			so.HTTPClient = o.HTTPClient
		}
		if so.HTTPClient != nil {
			// The SDK hands net/http every body in a reader of its own:
			// a small one goes out with its headers (internal/onewrite).
			// The SDK's client stays as it is (no redirects followed).
			so.HTTPClient = onewrite.Client(so.HTTPClient)
		}
		so.UsePathStyle = p.ForcePathStyle
		if endpoint != "" {
			so.BaseEndpoint = aws.String(endpoint)
		}
		so.UseAccelerate = p.Accelerate
		so.EndpointOptions.DisableHTTPS = !p.Secure && p.RegionEndpoint == ""
		if p.UseDualStack {
			so.EndpointOptions.UseDualStackEndpoint = aws.DualStackEndpointStateEnabled
		}
		if p.UseFIPSEndpoint {
			so.EndpointOptions.UseFIPSEndpoint = aws.FIPSEndpointStateEnabled
		}
		if p.ChecksumMode == "when_supported" {
			so.RequestChecksumCalculation = aws.RequestChecksumCalculationWhenSupported
			so.ResponseChecksumValidation = aws.ResponseChecksumValidationWhenSupported
		} else {
			so.RequestChecksumCalculation = aws.RequestChecksumCalculationWhenRequired
			so.ResponseChecksumValidation = aws.ResponseChecksumValidationWhenRequired
		}
		for _, ua := range []string{p.UserAgent, o.UserAgent} {
			if ua != "" {
				so.APIOptions = append(so.APIOptions, awsmiddleware.AddUserAgentKey(ua))
			}
		}
		if sigV2 {
			so.APIOptions = append(so.APIOptions, useSignatureV2(p.Bucket, so.Credentials, so.ClientLogMode.IsSigning(), so.Logger))
		}
	}
}
