package s3

import (
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/stowage/stowage/conformance"
	"github.com/stowage/stowage/conformance/faultproxy/faulttest"
)

// TestCrash kills (SIGKILL) a process writing through the driver, before
// and after a Close, and resumes the upload from this one: committed
// bit-exact, or cancelled with nothing left in the bucket or among
// MinIO's multipart uploads.
func TestCrash(t *testing.T) {
	faulttest.CrashChild(t)
	s := startServer(t)
	in := s.inspector()
	faulttest.Crash(t, faulttest.CrashHarness{
		Driver:    Name,
		Params:    s.params,
		ChunkSize: 5 << 20,
		Part: func(r *http.Request) bool {
			return r.Method == http.MethodPut && r.URL.Query().Has("partNumber")
		},
		Leftovers: func(t testing.TB, root, path string) []string {
			left := in.Keys(t.(conformance.TB), root)
			out, err := s.m.Client().ListMultipartUploads(t.Context(), &s3.ListMultipartUploadsInput{
				Bucket: aws.String(s.bucket), Prefix: aws.String(root + path)})
			if err != nil {
				t.Fatal(err)
			}
			for _, u := range out.Uploads {
				left = append(left, "upload "+aws.ToString(u.Key)+" "+aws.ToString(u.UploadId))
			}
			return left
		},
	})
}
