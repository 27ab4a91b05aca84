package s3

import (
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/stowage/stowage/conformance"
)

// inspector shows the conformance suite what the test bucket holds, with
// MinIO's root client, never through the driver:
//
//   - Keys: the objects whose keys start with the root (committed objects
//     under "<root>/" and the upload state the driver keeps under
//     "<root>/~uploads/").
//   - PartSizes: the multipart uploads in progress to the object key of the
//     path ("<root>/a/b" for "/a/b": uploads go straight to the key they
//     complete into) and the sizes of their parts from ListParts. MinIO's
//     ListMultipartUploads lists only the uploads of the one key given in
//     full as the prefix, so the key is asked for exactly.
func (s *server) inspector() *conformance.Inspector {
	c := s.m.Client()
	return &conformance.Inspector{
		Keys: func(t conformance.TB, root string) []string {
			var keys []string
			p := s3.NewListObjectsV2Paginator(c, &s3.ListObjectsV2Input{Bucket: aws.String(s.bucket), Prefix: aws.String(root)})
			for p.HasMorePages() {
				page, err := p.NextPage(t.Context())
				if err != nil {
					t.Fatalf("inspector: list %s: %v", root, err)
				}
				for _, o := range page.Contents {
					keys = append(keys, aws.ToString(o.Key))
				}
			}
			slices.Sort(keys)
			return keys
		},
		PartSizes: func(t conformance.TB, root, path string) [][]int64 {
			key := strings.TrimPrefix(strings.Trim(root, "/")+path, "/")
			out := [][]int64{}
			up := s3.NewListMultipartUploadsPaginator(c, &s3.ListMultipartUploadsInput{Bucket: aws.String(s.bucket), Prefix: aws.String(key)})
			for up.HasMorePages() {
				page, err := up.NextPage(t.Context())
				if err != nil {
					t.Fatalf("inspector: list multipart uploads of %s: %v", key, err)
				}
				for _, u := range page.Uploads {
					if aws.ToString(u.Key) != key {
						continue
					}
					var sizes []int64
					pp := s3.NewListPartsPaginator(c, &s3.ListPartsInput{Bucket: aws.String(s.bucket), Key: u.Key, UploadId: u.UploadId})
					for pp.HasMorePages() {
						parts, err := pp.NextPage(t.Context())
						if err != nil {
							t.Fatalf("inspector: list parts of %s upload %s: %v", key, aws.ToString(u.UploadId), err)
						}
						for _, pt := range parts.Parts {
							sizes = append(sizes, aws.ToInt64(pt.Size))
						}
					}
					out = append(out, sizes)
				}
			}
			return out
		},
	}
}
