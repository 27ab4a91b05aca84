package oss_test

import (
	"sort"
	"strings"

	alioss "github.com/aliyun/aliyun-oss-go-sdk/oss"

	"github.com/stowage/stowage/conformance"
	"github.com/stowage/stowage/oss/osstest"
)

// inspector shows the conformance suite what the test bucket of srv holds,
// never through the driver:
//
//   - Keys: the server's own key list (osstest.Server.Keys), the keys that
//     start with the root (committed objects and upload state).
//   - PartSizes: the server's multipart uploads in progress
//     (osstest.Server.Uploads) to the object key of the path
//     ("<root>/a/b" for "/a/b": uploads go straight to the key they
//     complete into), with part sizes from ListParts through the raw SDK.
func inspector(t conformance.TB, srv *osstest.Server) *conformance.Inspector {
	client, err := alioss.New(srv.URL, osstest.DefaultAccessKeyID, osstest.DefaultAccessKeySecret)
	if err != nil {
		t.Fatalf("inspector: SDK client: %v", err)
	}
	bucket, err := client.Bucket(testBucket)
	if err != nil {
		t.Fatalf("inspector: bucket: %v", err)
	}
	return &conformance.Inspector{
		Keys: func(t conformance.TB, root string) []string {
			var keys []string
			for _, k := range srv.Keys(testBucket) {
				if strings.HasPrefix(k, root) {
					keys = append(keys, k)
				}
			}
			return keys
		},
		PartSizes: func(t conformance.TB, root, path string) [][]int64 {
			key := strings.TrimPrefix(strings.Trim(root, "/")+path, "/")
			out := [][]int64{}
			for _, u := range srv.Uploads(testBucket) {
				if u.Key != key {
					continue
				}
				imur := alioss.InitiateMultipartUploadResult{Bucket: testBucket, Key: u.Key, UploadID: u.UploadID}
				var parts []alioss.UploadedPart
				marker := 0
				for {
					opts := []alioss.Option{alioss.WithContext(t.Context()), alioss.MaxParts(1000)}
					if marker > 0 {
						opts = append(opts, alioss.PartNumberMarker(marker))
					}
					res, err := bucket.ListUploadedParts(imur, opts...)
					if err != nil {
						t.Fatalf("inspector: list parts of %s upload %s: %v", key, u.UploadID, err)
					}
					parts = append(parts, res.UploadedParts...)
					if !res.IsTruncated || len(res.UploadedParts) == 0 {
						break
					}
					marker = res.UploadedParts[len(res.UploadedParts)-1].PartNumber
				}
				sort.Slice(parts, func(i, j int) bool { return parts[i].PartNumber < parts[j].PartNumber })
				sizes := make([]int64, len(parts))
				for i, p := range parts {
					sizes[i] = int64(p.Size)
				}
				out = append(out, sizes)
			}
			return out
		},
	}
}
