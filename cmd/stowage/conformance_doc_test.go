package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob"

	"github.com/stowage/stowage/conformance/emulator"
)

// TestConformanceDocCommands runs the stowage check commands of
// docs/conformance.md against the servers the page starts, each started
// here on a free port instead of its usual one (the commands are changed
// for that, and for the server's generated credentials, only), with the
// bucket or container the page creates. A subset of the cases runs, with a
// small large-stream case: the adapters' own tests run them all.
func TestConformanceDocCommands(t *testing.T) {
	cmds, _ := docCommands(t, "../../docs/conformance.md")
	var checks []docCommand
	for _, c := range cmds {
		if global, rest := split(c.args); len(rest) > 0 && rest[0] == "check" && len(global) > 0 {
			checks = append(checks, c)
		}
	}
	if len(checks) != 4 {
		t.Fatalf("docs/conformance.md: want 4 stowage check commands (MinIO, fake-gcs-server, Azurite, Swift), found %d", len(checks))
	}
	for _, c := range checks {
		line := strings.Join(c.args, " ")
		var server string
		for _, p := range []string{"s3", "gcs", "azure", "swift"} {
			if strings.Contains(line, "registry.storage."+p+".") {
				server = p
			}
		}
		t.Run(server, func(t *testing.T) {
			replace := serve(t, server)
			args := make([]string, len(c.args))
			for i, a := range c.args {
				for old, new := range replace {
					a = strings.ReplaceAll(a, old, new)
				}
				args[i] = a
			}
			r := stowage(t, append(args, "--run", "Writer/", "--large", "8MiB")...)
			if r.code != 0 || !strings.Contains(r.stdout, " 0 failed") {
				t.Fatalf("%s: %s\n%v", c.where, c.line, r)
			}
		})
	}
}

// serve starts the server for provider with the bucket or container
// "registry", and returns what to change in the documented command: the
// usual address, and generated credentials.
func serve(t *testing.T, provider string) map[string]string {
	t.Helper()
	switch provider {
	case "s3":
		m := emulator.StartMinIO(t)
		m.MakeBucket(t, "registry")
		return map[string]string{"http://127.0.0.1:9000": m.Endpoint, "stowage-secret": m.SecretKey, "accesskey=stowage": "accesskey=" + m.AccessKey}
	case "gcs":
		g := fakeGCSBucket(t, "registry")
		return map[string]string{"http://127.0.0.1:4443/storage/v1/": g.Endpoint}
	case "azure":
		a, _ := azuriteContainer(t, "registry")
		return map[string]string{"http://127.0.0.1:10000/devstoreaccount1": a.ServiceURL}
	case "swift":
		s := emulator.Swift(t, emulator.SwiftOptions{})
		return map[string]string{"http://127.0.0.1:8080/auth/v1.0": s.AuthURL, "username=test:tester": "username=" + s.User, "password=testing": "password=" + s.Key}
	}
	t.Fatalf("no server for %q", provider)
	return nil
}

// fakeGCSBucket starts a fake-gcs-server holding an empty bucket.
func fakeGCSBucket(t *testing.T, bucket string) *emulator.FakeGCS {
	t.Helper()
	g := emulator.StartFakeGCS(t)
	resp, err := http.Post(g.Endpoint+"b?project=test", "application/json", strings.NewReader(`{"name":"`+bucket+`"}`))
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("fake-gcs-server: create bucket: %v %v", resp, err)
	}
	resp.Body.Close()
	return g
}

// azuriteContainer starts Azurite holding an empty container, and returns
// a client of the account.
func azuriteContainer(t *testing.T, container string) (*emulator.Azurite, *azblob.Client) {
	t.Helper()
	a := emulator.StartAzurite(t, emulator.AzuriteOptions{})
	cred, err := azblob.NewSharedKeyCredential(emulator.AzuriteAccount, emulator.AzuriteKey)
	if err != nil {
		t.Fatal(err)
	}
	client, err := azblob.NewClientWithSharedKeyCredential(a.ServiceURL, cred, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.CreateContainer(t.Context(), container, nil); err != nil {
		t.Fatalf("azurite: create container: %v", err)
	}
	return a, client
}
