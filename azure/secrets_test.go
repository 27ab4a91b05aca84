package azure_test

import (
	"regexp"
	"strings"
	"sync"
	"testing"

	azlog "github.com/Azure/azure-sdk-for-go/sdk/azcore/log"

	"github.com/stowage/stowage/azure"
	"github.com/stowage/stowage/conformance/emulator"
	"github.com/stowage/stowage/conformance/faultproxy/faulttest"
	"github.com/stowage/stowage/driver"
)

// TestSecrets runs the driver through the work of a registry and through
// failing requests with the Azure SDK's log listener taking every event
// (requests, responses, retries): the account key and the shared key
// signatures show in no log line, error or printed form.
func TestSecrets(t *testing.T) {
	srv, _ := startServer(t, emulator.AzuriteOptions{})
	var mu sync.Mutex
	var sdk strings.Builder
	azlog.SetListener(func(ev azlog.Event, msg string) {
		mu.Lock()
		defer mu.Unlock()
		sdk.WriteString(string(ev) + ": " + msg + "\n")
	})
	azlog.SetEvents() // all events
	t.Cleanup(func() { azlog.SetListener(nil) })
	target := strings.TrimSuffix(srv.ServiceURL, "/"+emulator.AzuriteAccount)
	faulttest.Secrets(t, faulttest.SecretsHarness{
		Target: target,
		Open: func(t testing.TB, proxyURL, root string, opts ...driver.Option) driver.StorageDriver {
			p := params(srv, root, map[string]any{"serviceurl": proxyURL + "/" + emulator.AzuriteAccount})
			d, err := driver.Open(t.Context(), azure.Name, p, opts...)
			if err != nil {
				t.Fatalf("open azure: %v", err)
			}
			return d
		},
		Secrets:  func() []string { return []string{emulator.AzuriteKey} },
		Patterns: []*regexp.Regexp{regexp.MustCompile(`SharedKey ` + emulator.AzuriteAccount + `:[A-Za-z0-9+/=]{20,}`)},
		Output: func() string {
			mu.Lock()
			defer mu.Unlock()
			if !strings.Contains(sdk.String(), "Request") {
				t.Errorf("the SDK's listener logged no request:\n%.500s", sdk.String())
			}
			return sdk.String()
		},
		ChunkSize: 4 << 20,
	})
}
