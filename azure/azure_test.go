package azure_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/streaming"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/bloberror"

	"github.com/stowage/stowage/azure"
	"github.com/stowage/stowage/conformance/emulator"
	"github.com/stowage/stowage/driver"
)

const testContainer = "stowage-test"

// startServer starts Azurite with the test container and returns it with a
// raw SDK client.
func startServer(t testing.TB, opts emulator.AzuriteOptions) (*emulator.Azurite, *azblob.Client) {
	t.Helper()
	srv := emulator.StartAzurite(t, opts)
	client := sdkClient(t, srv)
	if _, err := client.CreateContainer(context.Background(), testContainer, nil); err != nil {
		t.Fatalf("create container: %v", err)
	}
	return srv, client
}

func sdkClient(t testing.TB, srv *emulator.Azurite) *azblob.Client {
	t.Helper()
	cred, err := azblob.NewSharedKeyCredential(emulator.AzuriteAccount, emulator.AzuriteKey)
	if err != nil {
		t.Fatal(err)
	}
	var opts azblob.ClientOptions
	if srv.CertPEM != nil {
		opts.Transport = insecureClient()
	}
	client, err := azblob.NewClientWithSharedKeyCredential(srv.ServiceURL+"/", cred, &opts)
	if err != nil {
		t.Fatal(err)
	}
	return client
}

// tb is what open needs of a test; testing.TB and conformance.TB have it.
type tb interface {
	Helper()
	Fatalf(format string, args ...any)
	Context() context.Context
}

func params(srv *emulator.Azurite, root string, extra map[string]any) map[string]any {
	p := map[string]any{
		"accountname":   emulator.AzuriteAccount,
		"accountkey":    emulator.AzuriteKey,
		"container":     testContainer,
		"serviceurl":    srv.ServiceURL,
		"rootdirectory": root,
		"retrydelay":    "10ms",
	}
	if srv.CertPEM != nil {
		p["skipverify"] = true
	}
	for k, v := range extra {
		p[k] = v
	}
	return p
}

func open(t tb, srv *emulator.Azurite, root string, extra map[string]any) driver.StorageDriver {
	t.Helper()
	d, err := driver.Open(t.Context(), azure.Name, params(srv, root, extra))
	if err != nil {
		t.Fatalf("open azure: %v", err)
	}
	return d
}

// TestWrongKey checks that a wrong account key is an authentication error,
// never a "path not found".
func TestWrongKey(t *testing.T) {
	srv, client := startServer(t, emulator.AzuriteOptions{})
	ctx := t.Context()
	if _, err := client.UploadBuffer(ctx, testContainer, "k/x", []byte("x"), nil); err != nil {
		t.Fatal(err)
	}
	wrong := strings.Repeat("A", 86) + "=="
	d := open(t, srv, "k", map[string]any{"accountkey": wrong, "maxretries": 0})
	checks := map[string]error{}
	_, checks["Stat"] = d.Stat(ctx, "/x")
	_, checks["GetContent"] = d.GetContent(ctx, "/missing")
	_, checks["List"] = d.List(ctx, "/")
	checks["Delete"] = d.Delete(ctx, "/x")
	for op, err := range checks {
		if err == nil || driver.IsNotFound(err) {
			t.Errorf("%s with a wrong key: %v, want an authentication error", op, err)
			continue
		}
		var re *azcore.ResponseError
		if !errors.As(err, &re) || re.StatusCode != http.StatusForbidden || !bloberror.HasCode(err, bloberror.AuthenticationFailed, bloberror.AuthorizationFailure) {
			t.Errorf("%s with a wrong key: %v, want 403 AuthenticationFailed (Azure) or AuthorizationFailure (Azurite)", op, err)
		}
		if strings.Contains(err.Error(), wrong) {
			t.Errorf("%s error shows the key", op)
		}
	}
}

// TestTLSVerify checks that, against Azurite over HTTPS with a self-signed
// certificate, the driver fails certificate verification unless
// skipverify is set.
func TestTLSVerify(t *testing.T) {
	srv, _ := startServer(t, emulator.AzuriteOptions{TLS: true})
	ctx := t.Context()
	d := open(t, srv, "tls", map[string]any{"skipverify": false, "maxretries": 0})
	_, err := d.Stat(ctx, "/x")
	if err == nil || driver.IsNotFound(err) || !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("Stat over HTTPS without skipverify: %v, want a certificate verification error", err)
	}
	d = open(t, srv, "tls", nil) // skipverify: true
	if err := d.PutContent(ctx, "/x", []byte("x")); err != nil {
		t.Fatalf("PutContent with skipverify: %v", err)
	}
}

// TestSAS checks that RedirectURL gives a SAS URL that Azurite (which
// verifies SAS signatures) serves to a plain client, for GET only.
func TestSAS(t *testing.T) {
	srv, _ := startServer(t, emulator.AzuriteOptions{})
	ctx := t.Context()
	d := open(t, srv, "sas", nil)
	if err := d.PutContent(ctx, "/blob", []byte("hello")); err != nil {
		t.Fatal(err)
	}
	u, err := d.RedirectURL(httptest.NewRequest(http.MethodGet, "/", nil), "/blob")
	if err != nil || !strings.Contains(u, "sig=") || !strings.Contains(u, "sp=r") {
		t.Fatalf("RedirectURL = %q, %v", u, err)
	}
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(body) != "hello" {
		t.Fatalf("GET SAS URL: %d %q", resp.StatusCode, body)
	}
	// A tampered signature is refused: Azurite checks it.
	bad := strings.Replace(u, "sp=r", "sp=rw", 1)
	resp, err = http.Get(bad)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("GET tampered SAS URL: %d, want 403", resp.StatusCode)
	}
	if u, _ := d.RedirectURL(httptest.NewRequest(http.MethodPut, "/", nil), "/blob"); u != "" {
		t.Fatalf("RedirectURL(PUT) = %q, want empty", u)
	}
}

func insecureClient() *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig.InsecureSkipVerify = true
	return &http.Client{Transport: tr}
}

// TestDeleteMany deletes a directory of 600 blobs (three batches) and
// checks that a prefix-sharing sibling survives.
func TestDeleteMany(t *testing.T) {
	srv, client := startServer(t, emulator.AzuriteOptions{})
	ctx := t.Context()
	d := open(t, srv, "many", nil)
	for i := range 600 {
		name := "many/a/" + strings.Repeat("x", i%7) + string(rune('a'+i%26)) + "-" + strconv.Itoa(i)
		if _, err := client.UploadBuffer(ctx, testContainer, name, []byte("x"), nil); err != nil {
			t.Fatal(err)
		}
	}
	if err := d.PutContent(ctx, "/ab", []byte("sibling")); err != nil {
		t.Fatal(err)
	}
	if err := d.Delete(ctx, "/a"); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if _, err := d.Stat(ctx, "/a"); !driver.IsNotFound(err) {
		t.Fatalf("Stat(/a) after Delete: %v", err)
	}
	if _, err := d.Stat(ctx, "/ab"); err != nil {
		t.Fatalf("sibling /ab: %v", err)
	}
}

// TestLegacyUploadsPurged checks the migration from the layout before the
// shared one, which kept the hidden blob of an upload beside the root
// ("<root>.uploads/<hash of path>"): such uploads are not resumed, and
// PurgeUploads deletes them.
func TestLegacyUploadsPurged(t *testing.T) {
	srv, client := startServer(t, emulator.AzuriteOptions{})
	ctx := t.Context()
	const name = "legacy.uploads/0123456789abcdef0123456789abcdef"
	if _, err := client.UploadBuffer(ctx, testContainer, name, []byte("old blocks"), nil); err != nil {
		t.Fatal(err)
	}
	d := open(t, srv, "legacy", nil)
	if _, err := d.Writer(ctx, "/blob", true); !driver.IsNotFound(err) {
		t.Fatalf("legacy upload resumed: %v, want PathNotFoundError", err)
	}
	if n, err := driver.PurgeUploads(ctx, d, -time.Minute); err != nil || n != 1 {
		t.Fatalf("PurgeUploads = %d, %v; want the legacy upload", n, err)
	}
	pager := client.NewListBlobsFlatPager(testContainer, &azblob.ListBlobsFlatOptions{Prefix: ptr("legacy")})
	page, err := pager.NextPage(ctx)
	if err != nil || len(page.Segment.BlobItems) != 0 {
		t.Fatalf("left after purge: %v", err)
	}
}

func ptr(s string) *string { return &s }

// TestBlockUploadsOfOlderVersionResume checks the migration from the
// uploads of stowage versions that kept an upload's blocks committed in
// its hidden blob ("<root>/~uploads/<path>~blocks", no state metadata): a
// writer resumes such an upload where it was, its Commit stores every byte
// at the path and removes the hidden blob, and its Cancel removes it.
func TestBlockUploadsOfOlderVersionResume(t *testing.T) {
	srv, client := startServer(t, emulator.AzuriteOptions{})
	ctx := t.Context()
	d := open(t, srv, "older", nil)
	old := bytes.Repeat([]byte("older upload "), 400_000)
	stage := func(path string) {
		t.Helper()
		b := client.ServiceClient().NewContainerClient(testContainer).NewBlockBlobClient("older/~uploads/" + path + "~blocks")
		ids := []string{base64.StdEncoding.EncodeToString([]byte("older-00000001")), base64.StdEncoding.EncodeToString([]byte("older-00000002"))}
		half := len(old) / 2
		for i, part := range [][]byte{old[:half], old[half:]} {
			if _, err := b.StageBlock(ctx, ids[i], streaming.NopCloser(bytes.NewReader(part)), nil); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := b.CommitBlockList(ctx, ids, nil); err != nil {
			t.Fatal(err)
		}
	}
	hidden := func() []string {
		t.Helper()
		var names []string
		pager := client.NewListBlobsFlatPager(testContainer, &azblob.ListBlobsFlatOptions{Prefix: ptr("older/~uploads/"), Include: azblob.ListBlobsInclude{UncommittedBlobs: true}})
		for pager.More() {
			page, err := pager.NextPage(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, b := range page.Segment.BlobItems {
				names = append(names, *b.Name)
			}
		}
		return names
	}

	stage("a")
	w, err := d.Writer(ctx, "/a", true)
	if err != nil {
		t.Fatal(err)
	}
	if w.Size() != int64(len(old)) {
		t.Fatalf("resumed an older upload at %d bytes, want %d", w.Size(), len(old))
	}
	more := bytes.Repeat([]byte("and more "), 600_000)
	if _, err := w.Write(more); err != nil {
		t.Fatal(err)
	}
	if err := w.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	got, err := d.GetContent(ctx, "/a")
	if err != nil || !bytes.Equal(got, append(slices.Clone(old), more...)) {
		t.Fatalf("older upload resumed and committed: %d bytes, %v; want %d", len(got), err, len(old)+len(more))
	}

	stage("b")
	w, err = d.Writer(ctx, "/b", true)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(more); err != nil {
		t.Fatal(err)
	}
	if err := w.Cancel(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Stat(ctx, "/b"); !driver.IsNotFound(err) {
		t.Fatalf("Stat after Cancel of an older upload: %v, want PathNotFoundError", err)
	}
	if left := hidden(); len(left) != 0 {
		t.Fatalf("hidden blobs left after Commit and Cancel of older uploads: %q", left)
	}
}

// TestStagedBlocksLost checks the errors of an upload whose staged blocks
// Azure no longer has: the path written by another client meanwhile
// (a block list committed on it discards them) makes Commit fail saying
// so, and leaves what the other client wrote.
func TestStagedBlocksLost(t *testing.T) {
	srv, client := startServer(t, emulator.AzuriteOptions{})
	ctx := t.Context()
	d := open(t, srv, "lost", nil)
	data := bytes.Repeat([]byte("x"), 9<<20)
	w, err := d.Writer(ctx, "/p", false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	// Another client commits a block list on the path.
	other := client.ServiceClient().NewContainerClient(testContainer).NewBlockBlobClient("lost/p")
	// An ID of the driver's length: the IDs of one blob's blocks all have one.
	id := base64.StdEncoding.EncodeToString([]byte("ffffffffffffffff-00000001"))
	if _, err := other.StageBlock(ctx, id, streaming.NopCloser(bytes.NewReader([]byte("other"))), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := other.CommitBlockList(ctx, []string{id}, nil); err != nil {
		t.Fatal(err)
	}
	w, err = d.Writer(ctx, "/p", true)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Commit(ctx); err == nil || !strings.Contains(err.Error(), "staged blocks are gone") {
		t.Fatalf("Commit of an upload whose blocks were discarded: %v, want an error that says so", err)
	}
	if got, err := d.GetContent(ctx, "/p"); err != nil || string(got) != "other" {
		t.Fatalf("after the failed Commit: %q, %v; want what the other client wrote", got, err)
	}

}

// TestUploadOverForeignBlob checks an upload over blobs that take none of
// the driver's blocks: an append blob (distribution's azure driver writes
// those), where the upload keeps its blocks in the hidden blob instead and
// Commit copies it over the path; and a block blob whose committed blocks
// have IDs of another length (the SDK's own uploads, other tools), which
// Azure refuses blocks beside (Azurite takes them: there the upload stays
// on the path). Either way the upload closes, resumes, commits and
// replaces the blob whole.
func TestUploadOverForeignBlob(t *testing.T) {
	srv, client := startServer(t, emulator.AzuriteOptions{})
	ctx := t.Context()
	d := open(t, srv, "foreign", nil)
	cc := client.ServiceClient().NewContainerClient(testContainer)
	if _, err := cc.NewAppendBlobClient("foreign/append").Create(ctx, nil); err != nil {
		t.Fatal(err)
	}
	bb := cc.NewBlockBlobClient("foreign/blocks")
	id := base64.StdEncoding.EncodeToString([]byte("an ID of another length"))
	if _, err := bb.StageBlock(ctx, id, streaming.NopCloser(bytes.NewReader([]byte("old"))), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := bb.CommitBlockList(ctx, []string{id}, nil); err != nil {
		t.Fatal(err)
	}
	data := bytes.Repeat([]byte("0123456789"), 1<<20)
	for _, p := range []string{"/append", "/blocks"} {
		w, err := d.Writer(ctx, p, false)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(data[:len(data)/2]); err != nil {
			t.Fatalf("%s: Write: %v", p, err)
		}
		if err := w.Close(); err != nil {
			t.Fatalf("%s: Close: %v", p, err)
		}
		if w, err = d.Writer(ctx, p, true); err != nil {
			t.Fatalf("%s: resume: %v", p, err)
		}
		if _, err := w.Write(data[len(data)/2:]); err != nil {
			t.Fatalf("%s: Write: %v", p, err)
		}
		if err := w.Commit(ctx); err != nil {
			t.Fatalf("%s: Commit: %v", p, err)
		}
		if got, err := d.GetContent(ctx, p); err != nil || !bytes.Equal(got, data) {
			t.Fatalf("%s: %d bytes, %v; want the %d written", p, len(got), err, len(data))
		}
	}
}
