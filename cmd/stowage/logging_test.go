package main

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/stowage/stowage/conformance/emulator"
)

// signaturePattern matches a SigV4 signature, in a header or a query.
var signaturePattern = regexp.MustCompile(`(?i)signature=[0-9a-f]{16,}`)

// TestLogLevelHidesSecrets runs commands against MinIO with temporary
// credentials (a session token from MinIO's STS), the s3 driver's most
// verbose SDK log mode and --log-level debug: the SDK's request and signing
// logs reach standard error, and no secret key, session token or signature
// appears in any output.
func TestLogLevelHidesSecrets(t *testing.T) {
	m := emulator.StartMinIO(t)
	bucket := m.MakeBucket(t, "logs")
	ctx := context.Background()
	client := sts.New(sts.Options{
		Region:       m.Region,
		BaseEndpoint: aws.String(m.Endpoint),
		Credentials:  credentials.NewStaticCredentialsProvider(m.AccessKey, m.SecretKey, ""),
	})
	role, err := client.AssumeRole(ctx, &sts.AssumeRoleInput{
		RoleArn:         aws.String("arn:aws:iam::123456789012:role/stowage"),
		RoleSessionName: aws.String("stowage-logs"),
	})
	if err != nil {
		t.Fatalf("MinIO AssumeRole: %v", err)
	}
	c := role.Credentials
	secrets := []string{m.SecretKey, aws.ToString(c.SecretAccessKey), aws.ToString(c.SessionToken)}
	for _, level := range []string{"debugwithsigning", "debugwithhttpbody", "debugwithrequestretries"} {
		t.Run(level, func(t *testing.T) {
			args := []string{"--log-level", "debug",
				"--set", "registry.storage.s3.regionendpoint=" + m.Endpoint,
				"--set", "registry.storage.s3.region=" + m.Region,
				"--set", "registry.storage.s3.bucket=" + bucket,
				"--set", "registry.storage.s3.accesskey=" + aws.ToString(c.AccessKeyId),
				"--set", "registry.storage.s3.secretkey=" + aws.ToString(c.SecretAccessKey),
				"--set", "registry.storage.s3.sessiontoken=" + aws.ToString(c.SessionToken),
				"--set", "registry.storage.s3.loglevel=" + level,
			}
			src := writeFile(t, t.TempDir(), "blob", "logged bytes")
			var all strings.Builder
			for _, cmd := range [][]string{
				{"put", "/logs/a", src},
				{"cat", "/logs/a"},
				{"ls", "-R", "/"},
				{"mv", "/logs/a", "/logs/b"},
				{"rm", "/logs"},
				{"check", "--run", "Writer/ResumeFromSecondInstance"},
				{"config", "validate"},
			} {
				r := stowage(t, append(args, cmd...)...)
				ok(t, r, cmd)
				all.WriteString(r.stdout + r.stderr)
			}
			out := all.String()
			// The SDK's logs got through: requests, and signing details
			// where the level asks for them.
			if !strings.Contains(out, "level=DEBUG") || !strings.Contains(out, "driver=s3") || !strings.Contains(out, "Host: 127.0.0.1") {
				t.Fatalf("no SDK request logs on standard error:\n%.3000s", out)
			}
			if level == "debugwithsigning" && !strings.Contains(strings.ToLower(out), "canonical") {
				t.Fatalf("no signing logs at debugwithsigning:\n%.3000s", out)
			}
			for _, s := range secrets {
				if strings.Contains(out, s) {
					t.Errorf("a secret (%.4s...) appears in the output", s)
				}
			}
			if sig := signaturePattern.FindString(out); sig != "" {
				t.Errorf("a signature appears in the output: %s", sig)
			}
		})
	}
}
