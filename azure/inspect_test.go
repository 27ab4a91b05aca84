package azure_test

import (
	"slices"

	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob"

	"github.com/stowage/stowage/conformance"
)

// inspector shows the conformance suite the blobs of the test container
// whose names start with the root: committed blobs under "<root>/" and the
// hidden blobs of uploads in progress under "<root>/~uploads/", including
// blobs that hold only uncommitted blocks, listed with the raw SDK client.
// Azure block blobs have no rule on block sizes: PartSizes stays nil.
func inspector(client *azblob.Client) *conformance.Inspector {
	return containerInspector(client, testContainer)
}

// containerInspector is inspector for another container.
func containerInspector(client *azblob.Client, container string) *conformance.Inspector {
	return &conformance.Inspector{
		Keys: func(t conformance.TB, root string) []string {
			var keys []string
			pager := client.NewListBlobsFlatPager(container, &azblob.ListBlobsFlatOptions{
				Prefix:  &root,
				Include: azblob.ListBlobsInclude{UncommittedBlobs: true},
			})
			for pager.More() {
				page, err := pager.NextPage(t.Context())
				if err != nil {
					t.Fatalf("inspector: list %s: %v", root, err)
				}
				for _, b := range page.Segment.BlobItems {
					keys = append(keys, *b.Name)
				}
			}
			slices.Sort(keys)
			return keys
		},
	}
}
