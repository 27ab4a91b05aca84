package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/distribution/distribution/v3/configuration"
	"github.com/distribution/distribution/v3/registry"
	"github.com/distribution/distribution/v3/registry/storage/driver/factory"
	stowagedist "github.com/stowage/stowage/distribution"
)

// TestServeAndGarbageCollect runs the command's registry from a config.yml
// as an operator writes it (with environment overrides as strings) on the
// filesystem driver with distribution's redirect middleware, stores a blob,
// then runs garbage-collect, which removes it (no manifest references it).
func TestServeAndGarbageCollect(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	cfgFile := filepath.Join(dir, "config.yml")
	cfg := fmt.Sprintf(`version: 0.1
log:
  level: error
http:
  addr: %s
  secret: test-secret
storage:
  filesystem:
    rootdirectory: /nonexistent/overridden/by/env
  delete:
    enabled: true
  maintenance:
    uploadpurging:
      enabled: false
middleware:
  storage:
    - name: redirect
      options:
        baseurl: https://cdn.example.invalid/base
`, addr)
	if err := os.WriteFile(cfgFile, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	// distribution's environment overrides are strings.
	t.Setenv("REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY", data)
	t.Setenv("REGISTRY_STORAGE_FILESYSTEM_MAXTHREADS", "50")

	f, err := os.Open(cfgFile)
	if err != nil {
		t.Fatal(err)
	}
	config, err := configuration.Parse(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	reg, err := registry.NewRegistry(context.Background(), config)
	if err != nil {
		t.Fatalf("NewRegistry: %v", err)
	}
	served := make(chan error, 1)
	go func() { served <- reg.ListenAndServe() }()
	base := "http://" + addr
	waitServing(t, base+"/v2/", served)

	blob := []byte("a blob no manifest references")
	h := sha256.Sum256(blob)
	digest := "sha256:" + hex.EncodeToString(h[:])
	resp := request(t, http.MethodPost, base+"/v2/app/blobs/uploads/", nil)
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("POST upload: %s", resp.Status)
	}
	loc := resp.Header.Get("Location")
	if !strings.HasPrefix(loc, "http") {
		loc = base + loc
	}
	resp = request(t, http.MethodPut, loc+"&digest="+digest, blob)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("PUT blob: %s", resp.Status)
	}
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	req, _ := http.NewRequest(http.MethodGet, base+"/v2/app/blobs/"+digest, nil)
	resp, err = noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	blobFile := filepath.Join(data, "docker/registry/v2/blobs/sha256", digest[7:9], digest[7:], "data")
	if want := "https://cdn.example.invalid/base/docker/registry/v2/blobs/sha256/" + digest[7:9] + "/" + digest[7:] + "/data"; resp.StatusCode != http.StatusTemporaryRedirect || resp.Header.Get("Location") != want {
		t.Fatalf("GET blob: %s to %q, want 307 to %q", resp.Status, resp.Header.Get("Location"), want)
	}
	if _, err := os.Stat(blobFile); err != nil {
		t.Fatalf("blob not stored under the rootdirectory from the environment: %v", err)
	}
	if err := reg.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	<-served

	registry.RootCmd.SetArgs([]string{"garbage-collect", cfgFile})
	if err := registry.RootCmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(blobFile); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("garbage-collect left the unreferenced blob: %v", err)
	}
}

func request(t *testing.T, method, url string, body []byte) *http.Response {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/octet-stream")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	resp.Body.Close()
	return resp
}

// waitServing polls url until the registry answers 200, or fails the test
// when the registry stops (go test's -timeout bounds the wait).
func waitServing(t *testing.T, url string, served <-chan error) {
	t.Helper()
	for {
		select {
		case err := <-served:
			t.Fatalf("registry stopped: %v", err)
		case <-time.After(10 * time.Millisecond):
		}
		resp, err := http.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
	}
}

// TestStowageDrivers checks that the command has stowage's drivers under
// the standard names and none of distribution's own (distribution's s3-aws
// driver would also register "s3aws").
func TestStowageDrivers(t *testing.T) {
	ctx := context.Background()
	sd, err := factory.Create(ctx, "inmemory", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := stowagedist.Stowage(sd); !ok {
		t.Errorf("inmemory is not stowage's driver: %T", sd)
	}
	for _, name := range []string{"s3aws"} {
		if _, err := factory.Create(ctx, name, nil); !errors.As(err, new(factory.InvalidStorageDriverError)) {
			t.Errorf("distribution's own %s driver is linked (%v)", name, err)
		}
	}
}
