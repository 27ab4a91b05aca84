package main

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob"
	ncw "github.com/ncw/swift/v2"

	"github.com/stowage/stowage/conformance/emulator"
	"github.com/stowage/stowage/oss/osstest"
)

// TestBenchBesideEverySDK: on gcs, azure, swift and oss too, bench writes
// and reads the blobs with the provider's SDK on the driver's own client,
// in multi-part uploads on both sides (6 MiB blobs over parts, blocks or
// segments of at most 5 MiB), prints the ratios, and leaves nothing in the
// store: no object, segment or upload of the driver's or of the SDK's.
func TestBenchBesideEverySDK(t *testing.T) {
	for _, tc := range benchProviders {
		t.Run(tc.provider, func(t *testing.T) {
			sets, left := tc.start(t)
			r := stowage(t, append(sets, "bench", "--count", "2", "--size", "6MiB")...)
			ok(t, r, "bench on ", tc.provider)
			if !strings.Contains(r.stdout, "beside the "+tc.sdk) {
				t.Errorf("bench does not name the SDK it compares with:\n%s", r.stdout)
			}
			checkSDKLines(t, r.stdout)
			if l := left(); len(l) > 0 {
				t.Errorf("bench left in the store: %q", l)
			}
		})
	}
}

// benchProviders are the servers of TestBenchBesideEverySDK.
var benchProviders = []struct {
	provider string
	sdk      string
	// start starts the server and returns the --set keys of the storage
	// and a function that lists what the store holds.
	start func(t *testing.T) (sets []string, left func() []string)
}{
	{"gcs", "cloud.google.com/go/storage", func(t *testing.T) ([]string, func() []string) {
		g := fakeGCSBucket(t, "registry")
		sets := sets("gcs", "bucket=registry", "endpoint="+g.Endpoint, "anonymous=true", "chunksize=4MiB")
		return sets, func() []string {
			// The JSON listing of the bucket: no "name" when empty.
			resp, err := http.Get(g.Endpoint + "b/registry/o")
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(string(body), `"name"`) {
				return []string{string(body)}
			}
			return nil
		}
	}},
	{"azure", "azblob", func(t *testing.T) ([]string, func() []string) {
		a, client := azuriteContainer(t, "registry")
		sets := sets("azure", "accountname="+emulator.AzuriteAccount, "accountkey="+emulator.AzuriteKey,
			"container=registry", "serviceurl="+a.ServiceURL)
		return sets, func() []string {
			var names []string
			// Uncommitted blobs too: staged blocks of an upload left behind.
			pager := client.NewListBlobsFlatPager("registry", &azblob.ListBlobsFlatOptions{Include: azblob.ListBlobsInclude{UncommittedBlobs: true}})
			for pager.More() {
				page, err := pager.NextPage(t.Context())
				if err != nil {
					t.Fatal(err)
				}
				for _, b := range page.Segment.BlobItems {
					names = append(names, *b.Name)
				}
			}
			return names
		}
	}},
	{"swift", "ncw/swift", func(t *testing.T) ([]string, func() []string) {
		s := emulator.Swift(t, emulator.SwiftOptions{})
		sets := sets("swift", "authurl="+s.AuthURL, "username="+s.User, "password="+s.Key, "container=registry", "chunksize=4MiB")
		return sets, func() []string {
			c := &ncw.Connection{UserName: s.User, ApiKey: s.Key, AuthUrl: s.AuthURL}
			names, err := c.ObjectNamesAll(t.Context(), "registry", nil)
			if err != nil {
				t.Fatal(err)
			}
			return names
		}
	}},
	{"oss", "aliyun-oss-go-sdk", func(t *testing.T) ([]string, func() []string) {
		srv := osstest.NewServer(osstest.Options{Buckets: []string{"registry"}})
		t.Cleanup(srv.Close)
		sets := sets("oss", "accesskeyid="+osstest.DefaultAccessKeyID, "accesskeysecret="+osstest.DefaultAccessKeySecret,
			"region=oss-cn-hangzhou", "endpoint="+srv.URL, "bucket=registry", "chunksize=5MiB")
		return sets, func() []string {
			left := srv.Keys("registry")
			for _, u := range srv.Uploads("registry") {
				left = append(left, "upload of "+u.Key)
			}
			return left
		}
	}},
}

// sets returns --set keys of provider's parameters given as name=value.
func sets(provider string, kv ...string) []string {
	var args []string
	for _, s := range kv {
		args = append(args, "--set", "registry.storage."+provider+"."+s)
	}
	return args
}
