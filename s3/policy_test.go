package s3

import (
	"encoding/json"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/stowage/stowage/driver"
)

// seedPolicy is the IAM policy of the reference registry's S3 page (seed
// 000), for bucket, less the actions in without.
func seedPolicy(bucket string, without ...string) string {
	keep := func(actions ...string) []string {
		return slices.DeleteFunc(actions, func(a string) bool { return slices.Contains(without, a) })
	}
	doc := map[string]any{
		"Version": "2012-10-17",
		"Statement": []map[string]any{
			{
				"Effect":   "Allow",
				"Action":   keep("s3:ListBucket", "s3:GetBucketLocation", "s3:ListBucketMultipartUploads"),
				"Resource": "arn:aws:s3:::" + bucket,
			},
			{
				"Effect":   "Allow",
				"Action":   keep("s3:PutObject", "s3:GetObject", "s3:DeleteObject", "s3:ListMultipartUploadParts", "s3:AbortMultipartUpload"),
				"Resource": "arn:aws:s3:::" + bucket + "/*",
			},
		},
	}
	b, _ := json.Marshal(doc)
	return string(b)
}

// policyParams returns driver parameters with temporary credentials
// restricted to policy: MinIO's STS AssumeRole with a session policy, whose
// grants are those of the policy (sessiontoken is exercised on the way).
func (s *server) policyParams(t testing.TB, root, policy string) map[string]any {
	t.Helper()
	c := sts.New(sts.Options{
		Region:       s.m.Region,
		BaseEndpoint: aws.String(s.m.Endpoint),
		Credentials:  credentials.NewStaticCredentialsProvider(s.m.AccessKey, s.m.SecretKey, ""),
	})
	out, err := c.AssumeRole(t.Context(), &sts.AssumeRoleInput{
		RoleArn:         aws.String("arn:aws:iam::000000000000:role/stowage"),
		RoleSessionName: aws.String("stowage"),
		Policy:          aws.String(policy),
		DurationSeconds: aws.Int32(3600),
	})
	if err != nil {
		t.Fatalf("STS AssumeRole: %v", err)
	}
	p := s.params(root)
	p["accesskey"] = aws.ToString(out.Credentials.AccessKeyId)
	p["secretkey"] = aws.ToString(out.Credentials.SecretAccessKey)
	p["sessiontoken"] = aws.ToString(out.Credentials.SessionToken)
	return p
}

func testSeedPolicy(t *testing.T, s *server) {
	d := open(t, s.policyParams(t, newRoot(t), seedPolicy(s.bucket)))
	for _, r := range d.Preflight(ctx(t)) {
		if r.Err != nil {
			t.Errorf("preflight %s: %v", r.Action, r.Err)
		}
	}
	testBasicsOn(t, driver.Wrap(d))
}

func testMissingAction(t *testing.T, s *server) {
	const missing = "s3:ListBucketMultipartUploads"
	d := open(t, s.policyParams(t, newRoot(t), seedPolicy(s.bucket, missing)))
	results := d.Preflight(ctx(t))
	if len(results) != 8 {
		t.Fatalf("%d preflight results, want one per action of the policy (8)", len(results))
	}
	for _, r := range results {
		if (r.Err != nil) != (r.Action == missing) {
			t.Errorf("preflight %s: %v", r.Action, r.Err)
		}
		if r.Err != nil {
			t.Logf("preflight line: %s: %v", r.Action, r.Err)
		}
	}
	// Writers never list uploads: they work without the action.
	wd := driver.Wrap(d)
	write(t, wd, "/upload", false, []byte("abc"), false)
	write(t, wd, "/upload", true, []byte("def"), true)
	mustContent(t, wd, "/upload", []byte("abcdef"))
	// Purging abandoned uploads needs it, and says so.
	_, err := driver.PurgeUploads(ctx(t), wd, time.Hour)
	var ade *AccessDeniedError
	if !errors.As(err, &ade) || ade.Action != missing {
		t.Fatalf("PurgeUploads: %v, want an AccessDeniedError naming %s", err, missing)
	}
	if driver.IsNotFound(err) {
		t.Fatal("access denied mapped to not found")
	}
	t.Logf("error: %v", err)
}

// testMissingDelete checks that the per-key errors of a DeleteObjects
// response are reported, naming the missing action.
func testMissingDelete(t *testing.T, s *server) {
	const missing = "s3:DeleteObject"
	root := newRoot(t)
	full := driver.Wrap(open(t, s.params(root)))
	for _, p := range []string{"/dir/a", "/dir/b", "/single"} {
		if err := full.PutContent(ctx(t), p, []byte("x")); err != nil {
			t.Fatal(err)
		}
	}
	d := open(t, s.policyParams(t, root, seedPolicy(s.bucket, missing)))
	for _, r := range d.Preflight(ctx(t)) {
		if (r.Err != nil) != (r.Action == missing) {
			t.Errorf("preflight %s: %v", r.Action, r.Err)
		}
	}
	err := driver.Wrap(d).Delete(ctx(t), "/dir")
	var de *DeleteError
	if !errors.As(err, &de) || len(de.Errors) != 2 || de.Action != missing {
		t.Fatalf("Delete(/dir): %v, want a DeleteError for 2 keys naming %s", err, missing)
	}
	t.Logf("error: %v", err)
	err = driver.Wrap(d).Delete(ctx(t), "/single")
	var ade *AccessDeniedError
	if !errors.As(err, &ade) || ade.Action != missing {
		t.Fatalf("Delete(/single): %v, want an AccessDeniedError naming %s", err, missing)
	}
	mustContent(t, full, "/dir/a", []byte("x"))
}
