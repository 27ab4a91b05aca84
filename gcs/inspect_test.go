package gcs_test

import (
	"errors"
	"slices"

	"cloud.google.com/go/storage"
	"google.golang.org/api/iterator"

	"github.com/stowage/stowage/conformance"
)

// inspector shows the conformance suite the objects of the test bucket
// whose names start with the root: committed objects under "<root>/" and
// the part objects of uploads in progress under "<root>/~uploads/", listed
// with the raw SDK client. GCS has no multipart uploads (an upload is part
// objects composed at Commit, with no rule on their sizes): PartSizes
// stays nil.
func inspector(client *storage.Client) *conformance.Inspector {
	return bucketInspector(client, testBucket)
}

// bucketInspector is inspector for another bucket.
func bucketInspector(client *storage.Client, bucket string) *conformance.Inspector {
	return &conformance.Inspector{
		Keys: func(t conformance.TB, root string) []string {
			var keys []string
			it := client.Bucket(bucket).Objects(t.Context(), &storage.Query{Prefix: root})
			for {
				attrs, err := it.Next()
				if errors.Is(err, iterator.Done) {
					break
				}
				if err != nil {
					t.Fatalf("inspector: list %s: %v", root, err)
				}
				keys = append(keys, attrs.Name)
			}
			slices.Sort(keys)
			return keys
		},
	}
}
