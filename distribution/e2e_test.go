package distribution_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/distribution/distribution/v3/registry/storage"
)

// runE2E runs distribution's registry in-process on the backend and drives
// it as clients do: go-containerregistry pushes and pulls images, and plain
// HTTP requests do what the OCI distribution spec lets a client do by hand.
// Each step needs the ones before, so they run in order and the first
// failure stops the test.
func runE2E(t *testing.T, b backend) {
	r := startRegistry(t, b)
	ctx := t.Context()

	// A multi-layer image, layers from 1 KiB to 60 MiB (sizes off the
	// 5 MiB multipart boundaries), two tags; pulled by tag and by digest.
	app := makeImage(t, 1, 1<<10, 300<<10, 5<<20+7, 17<<20+3, 60<<20)
	r.push(app, "e2e/app", "v1", "latest")
	r.verifyPull("e2e/app:v1", app)
	r.verifyPull("e2e/app:latest", app)
	r.verifyPull("e2e/app@"+app.digest, app)

	// A small image in several repositories, nested ones and ones whose
	// names sort differently as paths and as strings.
	small := makeImage(t, 2, 1<<10+1)
	tags := []string{"1.0", "1.0-rc", "1.0.1", "latest", "v2"}
	r.push(small, "e2e/tags", tags...)
	r.push(small, "e2e/app-x", "v1")
	r.push(small, "e2e/app/sub", "v1")
	r.verifyPull("e2e/app/sub:v1", small)

	// An image whose manifest is deleted, so that garbage collection
	// removes its blobs.
	gone := makeImage(t, 3, 10<<10, 6<<20+1)
	r.push(gone, "e2e/gc", "old")

	chunked := testChunkedUpload(t, r, "e2e/upload")
	mono, single := testMonolithicUpload(t, r, "e2e/upload")
	testMount(t, r, chunked, "e2e/upload", "e2e/mount")
	testTagList(t, r, "e2e/tags", tags)
	testCatalog(t, r, []string{"e2e/app", "e2e/app-x", "e2e/app/sub", "e2e/gc", "e2e/tags"})

	// Manifest delete: the manifest and the tags that name it are gone.
	r.do(nil, http.MethodDelete, "/v2/e2e/gc/manifests/"+gone.digest, nil).expect(t, http.StatusAccepted, "delete manifest")
	r.do(nil, http.MethodGet, "/v2/e2e/gc/manifests/"+gone.digest, nil,
		"Accept", "application/vnd.oci.image.manifest.v1+json").expect(t, http.StatusNotFound, "deleted manifest")
	r.do(nil, http.MethodGet, "/v2/e2e/gc/manifests/old", nil,
		"Accept", "application/vnd.oci.image.manifest.v1+json").expect(t, http.StatusNotFound, "tag of deleted manifest")

	// Blob delete: the repository's link is gone, the data stays until GC.
	r.do(nil, http.MethodDelete, "/v2/e2e/upload/blobs/"+mono, nil).expect(t, http.StatusAccepted, "delete blob")
	r.do(nil, http.MethodHead, "/v2/e2e/upload/blobs/"+mono, nil).expect(t, http.StatusNotFound, "deleted blob")

	// Garbage collection removes exactly the blobs no manifest references.
	kept := set(app.blobs(), small.blobs())
	loose := set(gone.blobs(), []string{chunked, mono, single})
	if got, want := r.storedBlobs(), union(kept, loose); !maps.Equal(got, want) {
		t.Fatalf("blobs stored before GC:\n got %v\nwant %v", sorted(got), sorted(want))
	}
	reg, err := storage.NewRegistry(ctx, r.driver, storage.EnableDelete)
	if err != nil {
		t.Fatal(err)
	}
	if err := storage.MarkAndSweep(ctx, r.driver, reg, storage.GCOpts{Quiet: true}); err != nil {
		t.Fatalf("MarkAndSweep: %v", err)
	}
	if got := r.storedBlobs(); !maps.Equal(got, kept) {
		t.Fatalf("blobs stored after GC:\n got %v\nwant %v", sorted(got), sorted(kept))
	}
	r.verifyPull("e2e/app:latest", app)
	r.verifyPull("e2e/app@"+app.digest, app)
	r.verifyPull("e2e/tags:1.0-rc", small)
}

// testChunkedUpload uploads a blob in PATCH chunks with Content-Range,
// checking the Range the registry reports after each chunk and in the
// upload status, that out-of-order chunks are refused with 416 and change
// nothing, and finishes with a PUT carrying the last chunk. It returns the
// blob's digest.
func testChunkedUpload(t *testing.T, r *testRegistry, repo string) string {
	chunks := [][]byte{randomBytes(10, 5<<20+3), randomBytes(11, 2<<20+5), randomBytes(12, 1<<20+1)}
	blob := slices.Concat(chunks...)
	digest := digestOf(blob)

	resp := r.do(nil, http.MethodPost, "/v2/"+repo+"/blobs/uploads/", nil).expect(t, http.StatusAccepted, "start upload")
	uuid := resp.Header.Get("Docker-Upload-UUID")
	if uuid == "" {
		t.Fatal("start upload: no Docker-Upload-UUID")
	}
	expectRange(t, resp, 0, "start upload")
	loc := resp.Header.Get("Location")

	offset := 0
	patch := func(chunk []byte, start int) response {
		return r.do(nil, http.MethodPatch, loc, chunk,
			"Content-Type", "application/octet-stream",
			"Content-Range", fmt.Sprintf("%d-%d", start, start+len(chunk)-1))
	}
	status := func(what string) {
		t.Helper()
		resp := r.do(nil, http.MethodGet, loc, nil).expect(t, http.StatusNoContent, what)
		expectRange(t, resp, offset, what)
		if got := resp.Header.Get("Docker-Upload-UUID"); got != uuid {
			t.Fatalf("%s: Docker-Upload-UUID %q, want %q", what, got, uuid)
		}
	}
	for i, chunk := range chunks[:2] {
		what := fmt.Sprintf("PATCH chunk %d", i)
		resp := patch(chunk, offset).expect(t, http.StatusAccepted, what)
		offset += len(chunk)
		expectRange(t, resp, offset, what)
		loc = resp.Header.Get("Location")
		status("upload status after " + what)

		// Out of order: a gap, and the chunk sent again.
		patch(chunk, offset+1).expect(t, http.StatusRequestedRangeNotSatisfiable, "PATCH past the end of the upload")
		patch(chunk, offset-len(chunk)).expect(t, http.StatusRequestedRangeNotSatisfiable, "PATCH of a chunk sent before")
		status("upload status after refused PATCHes")
	}

	resp = r.do(nil, http.MethodPut, withDigest(loc, digest), chunks[2],
		"Content-Type", "application/octet-stream").expect(t, http.StatusCreated, "PUT last chunk")
	if got := resp.Header.Get("Docker-Content-Digest"); got != digest {
		t.Fatalf("PUT: Docker-Content-Digest %q, want %s", got, digest)
	}
	r.verifyBlob(repo, digest, blob)
	return digest
}

// testMonolithicUpload uploads a blob with POST then PUT with the body,
// and another with one POST carrying the digest and the body (which the
// OCI spec lets a registry accept with 201 or answer with 202 and an
// upload to PUT to; distribution v3 does the latter). It returns the
// digests.
func testMonolithicUpload(t *testing.T, r *testRegistry, repo string) (string, string) {
	blob := randomBytes(20, 3<<20+1)
	digest := digestOf(blob)
	resp := r.do(nil, http.MethodPost, "/v2/"+repo+"/blobs/uploads/", nil).expect(t, http.StatusAccepted, "start monolithic upload")
	r.do(nil, http.MethodPut, withDigest(resp.Header.Get("Location"), digest), blob,
		"Content-Type", "application/octet-stream").expect(t, http.StatusCreated, "monolithic PUT")
	r.verifyBlob(repo, digest, blob)

	blob2 := randomBytes(21, 64<<10)
	digest2 := digestOf(blob2)
	resp = r.do(nil, http.MethodPost, withDigest("/v2/"+repo+"/blobs/uploads/", digest2), blob2,
		"Content-Type", "application/octet-stream")
	switch resp.StatusCode {
	case http.StatusCreated:
	case http.StatusAccepted:
		r.do(nil, http.MethodPut, withDigest(resp.Header.Get("Location"), digest2), blob2,
			"Content-Type", "application/octet-stream").expect(t, http.StatusCreated, "PUT after single POST")
	default:
		resp.expect(t, http.StatusCreated, "single POST with digest")
	}
	r.verifyBlob(repo, digest2, blob2)
	return digest, digest2
}

// testMount mounts a blob from one repository into another, and checks
// that mounting an unknown blob falls back to an upload, cancelled here.
func testMount(t *testing.T, r *testRegistry, digest, from, to string) {
	q := url.Values{"mount": {digest}, "from": {from}}
	resp := r.do(nil, http.MethodPost, "/v2/"+to+"/blobs/uploads/?"+q.Encode(), nil).expect(t, http.StatusCreated, "mount")
	if got := resp.Header.Get("Docker-Content-Digest"); got != digest {
		t.Fatalf("mount: Docker-Content-Digest %q, want %s", got, digest)
	}
	if loc := resp.Header.Get("Location"); !strings.HasSuffix(loc, "/v2/"+to+"/blobs/"+digest) {
		t.Fatalf("mount: Location %q", loc)
	}
	// Served by the registry (200, with the digest) or redirected to the
	// store (307, no digest header: distribution's blob server sets none
	// on a redirect).
	head := r.do(r.noRedirect, http.MethodHead, "/v2/"+to+"/blobs/"+digest, nil)
	switch head.StatusCode {
	case http.StatusOK:
		if head.Header.Get("Docker-Content-Digest") != digest {
			t.Fatalf("HEAD mounted blob: Docker-Content-Digest %q", head.Header.Get("Docker-Content-Digest"))
		}
	case http.StatusTemporaryRedirect:
	default:
		head.expect(t, http.StatusOK, "HEAD mounted blob")
	}
	get := r.do(nil, http.MethodGet, "/v2/"+to+"/blobs/"+digest, nil).expect(t, http.StatusOK, "GET mounted blob")
	if digestOf(get.body) != digest {
		t.Fatalf("GET mounted blob: %d bytes with digest %s, want %s", len(get.body), digestOf(get.body), digest)
	}

	unknown := digestOf([]byte("never uploaded"))
	q = url.Values{"mount": {unknown}, "from": {from}}
	resp = r.do(nil, http.MethodPost, "/v2/"+to+"/blobs/uploads/?"+q.Encode(), nil).expect(t, http.StatusAccepted, "mount of an unknown blob")
	loc := resp.Header.Get("Location")
	r.do(nil, http.MethodDelete, loc, nil).expect(t, http.StatusNoContent, "cancel upload")
	r.do(nil, http.MethodGet, loc, nil).expect(t, http.StatusNotFound, "status of a cancelled upload")
}

// testTagList lists the tags of repo whole and in pages of 2 (n, and the
// Link header's last), expecting them in lexical order.
func testTagList(t *testing.T, r *testRegistry, repo string, tags []string) {
	want := slices.Sorted(slices.Values(tags))
	var all struct{ Tags []string }
	r.getJSON("/v2/"+repo+"/tags/list", &all)
	if !slices.Equal(all.Tags, want) {
		t.Fatalf("tags of %s: %v, want %v", repo, all.Tags, want)
	}
	got := r.pages(t, "/v2/"+repo+"/tags/list?n=2", func(page *pageBody) []string { return page.Tags })
	if !slices.Equal(got, want) {
		t.Fatalf("tags of %s in pages of 2: %v, want %v", repo, got, want)
	}
}

// testCatalog lists the repositories whole and in pages of 2. The order is
// the storage's walk order (byte order of the paths, as with distribution's
// s3 driver), so the pages are compared with the whole listing and the
// whole listing with want as a set.
func testCatalog(t *testing.T, r *testRegistry, want []string) {
	var all pageBody
	r.getJSON("/v2/_catalog", &all)
	if !slices.Equal(slices.Sorted(slices.Values(all.Repositories)), want) {
		t.Fatalf("catalog: %v, want %v in any order", all.Repositories, want)
	}
	got := r.pages(t, "/v2/_catalog?n=2", func(page *pageBody) []string { return page.Repositories })
	if !slices.Equal(got, all.Repositories) {
		t.Fatalf("catalog in pages of 2: %v, want %v", got, all.Repositories)
	}
}

type pageBody struct {
	Tags         []string
	Repositories []string
}

var linkNext = regexp.MustCompile(`^<([^>]+)>;\s*rel="next"$`)

// pages follows the Link headers from first, checking that every page
// but the last is full, and returns the entries of every page.
func (r *testRegistry) pages(t *testing.T, first string, entries func(*pageBody) []string) []string {
	t.Helper()
	var out []string
	next := first
	for n := 0; next != ""; n++ {
		if n > 100 {
			t.Fatalf("pages from %s: more than 100", first)
		}
		var page pageBody
		resp := r.getJSON(next, &page)
		e := entries(&page)
		out = append(out, e...)
		next = ""
		if link := resp.Header.Get("Link"); link != "" {
			m := linkNext.FindStringSubmatch(link)
			if m == nil {
				t.Fatalf("GET %s: bad Link header %q", resp.Request.URL, link)
			}
			if len(e) != 2 {
				t.Fatalf("GET %s: %d entries on a page with a next one, want 2", resp.Request.URL, len(e))
			}
			next = m[1]
		}
	}
	return out
}

func (r *testRegistry) getJSON(ref string, v any) response {
	r.t.Helper()
	resp := r.do(nil, http.MethodGet, ref, nil).expect(r.t, http.StatusOK, "GET "+ref)
	if err := json.Unmarshal(resp.body, v); err != nil {
		r.t.Fatalf("GET %s: %v: %s", ref, err, resp.body)
	}
	return resp
}

// verifyBlob checks HEAD and GET of a blob (following a redirect to the
// store where the driver gives one).
func (r *testRegistry) verifyBlob(repo, digest string, want []byte) {
	r.t.Helper()
	head := r.do(nil, http.MethodHead, "/v2/"+repo+"/blobs/"+digest, nil).expect(r.t, http.StatusOK, "HEAD blob")
	if head.ContentLength != int64(len(want)) {
		r.t.Fatalf("HEAD blob %s: Content-Length %d, want %d", digest, head.ContentLength, len(want))
	}
	get := r.do(nil, http.MethodGet, "/v2/"+repo+"/blobs/"+digest, nil).expect(r.t, http.StatusOK, "GET blob")
	if digestOf(get.body) != digest {
		r.t.Fatalf("GET blob %s: %d bytes with digest %s", digest, len(get.body), digestOf(get.body))
	}
}

// expectRange checks the Range header of an upload holding size bytes
// (distribution answers "0-0" for an empty upload).
func expectRange(t *testing.T, resp response, size int, what string) {
	t.Helper()
	want := "0-" + strconv.Itoa(max(size-1, 0))
	if got := resp.Header.Get("Range"); got != want {
		t.Fatalf("%s: Range %q, want %q", what, got, want)
	}
}

func withDigest(loc, digest string) string {
	sep := "?"
	if strings.Contains(loc, "?") {
		sep = "&"
	}
	return loc + sep + "digest=" + url.QueryEscape(digest)
}

func set(lists ...[]string) map[string]bool {
	m := map[string]bool{}
	for _, l := range lists {
		for _, s := range l {
			m[s] = true
		}
	}
	return m
}

func union(a, b map[string]bool) map[string]bool {
	m := maps.Clone(a)
	maps.Copy(m, b)
	return m
}

func sorted(m map[string]bool) []string { return slices.Sorted(maps.Keys(m)) }
