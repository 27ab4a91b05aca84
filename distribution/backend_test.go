package distribution_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	storagedriver "github.com/distribution/distribution/v3/registry/storage/driver"
	"github.com/distribution/distribution/v3/registry/storage/driver/factory"
	"github.com/sirupsen/logrus"

	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob"
	"github.com/stowage/stowage/conformance/emulator"
	"github.com/stowage/stowage/distribution"
	"github.com/stowage/stowage/driver"
	"github.com/stowage/stowage/inmemory"
	"github.com/stowage/stowage/oss/osstest"

	_ "github.com/stowage/stowage/distribution/standard"
)

func TestMain(m *testing.M) {
	// distribution logs every request, and every 404 as an error; set
	// STOWAGE_DISTRIBUTION_LOG to a logrus level (debug, info, error) to see it.
	level := logrus.PanicLevel
	if l, err := logrus.ParseLevel(os.Getenv("STOWAGE_DISTRIBUTION_LOG")); err == nil {
		level = l
	}
	logrus.SetLevel(level)
	os.Exit(m.Run())
}

// backend is one stowage adapter against its server, opened through
// distribution's factory under its standard name, as a registry's
// config.yml opens it.
type backend struct {
	// name is the key under storage: in the registry configuration.
	name string
	// params returns the parameters of a driver whose data lives in a
	// fresh, empty area named root.
	params func(root string) map[string]any
	// large says the server keeps data on disk and can hold the 5 GiB
	// stream of distribution's suite (TestWriteReadLargeStreams).
	large bool
	// redirects says RedirectURL returns URLs to the server.
	redirects bool
}

var rootSeq atomic.Int64

// root returns a new area name for one test.
func root(purpose string) string {
	return fmt.Sprintf("%s-%d", purpose, rootSeq.Add(1))
}

// open opens the backend's driver at root as distribution's registry does:
// factory.Create with the configured parameters plus the useragent the
// registry adds.
func (b backend) open(t testing.TB, root string) storagedriver.StorageDriver {
	t.Helper()
	p := b.params(root)
	p["useragent"] = "distribution/test"
	sd, err := factory.Create(context.Background(), b.name, p)
	if err != nil {
		t.Fatalf("factory.Create(%q): %v", b.name, err)
	}
	return sd
}

func filesystemBackend(t *testing.T) backend {
	dir := t.TempDir()
	return backend{
		name:  "filesystem",
		large: true,
		params: func(root string) map[string]any {
			return map[string]any{"rootdirectory": filepath.Join(dir, root)}
		},
	}
}

// sharedStores lets the registry and the test see the same in-memory
// store: the test-inmemory factory picks one by its store parameter.
var sharedStores = struct {
	sync.Mutex
	m map[string]*inmemory.Store
}{m: map[string]*inmemory.Store{}}

var registerTestInmemory = sync.OnceFunc(func() {
	err := distribution.Register("test-inmemory", distribution.FactoryFunc(func(_ context.Context, p map[string]any) (driver.StorageDriver, error) {
		sharedStores.Lock()
		defer sharedStores.Unlock()
		id := fmt.Sprint(p["store"])
		s, ok := sharedStores.m[id]
		if !ok {
			s = inmemory.NewStore()
			sharedStores.m[id] = s
		}
		return inmemory.NewShared(s), nil
	}))
	if err != nil {
		panic(err)
	}
})

// inmemoryBackend opens distribution's standard inmemory name for the
// suite (each Create is a new, empty store, as in a registry) and a shared
// store for the end-to-end tests, which look at the registry's storage.
func inmemoryBackend(shared bool) backend {
	if shared {
		registerTestInmemory()
		return backend{
			name:   "test-inmemory",
			params: func(root string) map[string]any { return map[string]any{"store": root} },
		}
	}
	return backend{name: "inmemory", params: func(string) map[string]any { return map[string]any{} }}
}

func s3Backend(t *testing.T) backend {
	m := emulator.StartMinIO(t)
	bucket := m.MakeBucket(t, "registry")
	return backend{
		name:      "s3",
		large:     true,
		redirects: true,
		params: func(root string) map[string]any {
			return map[string]any{
				"accesskey":      m.AccessKey,
				"secretkey":      m.SecretKey,
				"region":         m.Region,
				"regionendpoint": m.Endpoint,
				"bucket":         bucket,
				"rootdirectory":  root,
			}
		},
	}
}

func gcsBackend(t *testing.T) backend {
	srv := emulator.StartFakeGCS(t)
	const bucket = "registry"
	resp, err := http.Post(srv.Endpoint+"b?project=stowage", "application/json",
		bytes.NewReader([]byte(`{"name":"`+bucket+`"}`)))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("create bucket: %s: %s", resp.Status, body)
	}
	return backend{
		name: "gcs",
		params: func(root string) map[string]any {
			return map[string]any{
				"bucket":        bucket,
				"endpoint":      srv.Endpoint,
				"anonymous":     true, // no key to sign redirect URLs with
				"rootdirectory": root,
			}
		},
	}
}

func azureBackend(t *testing.T) backend {
	srv := emulator.StartAzurite(t, emulator.AzuriteOptions{})
	const container = "registry"
	cred, err := azblob.NewSharedKeyCredential(emulator.AzuriteAccount, emulator.AzuriteKey)
	if err != nil {
		t.Fatal(err)
	}
	client, err := azblob.NewClientWithSharedKeyCredential(srv.ServiceURL+"/", cred, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.CreateContainer(context.Background(), container, nil); err != nil {
		t.Fatalf("create container: %v", err)
	}
	return backend{
		name:      "azure",
		redirects: true,
		params: func(root string) map[string]any {
			return map[string]any{
				"accountname":   emulator.AzuriteAccount,
				"accountkey":    emulator.AzuriteKey,
				"container":     container,
				"serviceurl":    srv.ServiceURL,
				"rootdirectory": root,
			}
		},
	}
}

func swiftBackend(t *testing.T) backend {
	s := emulator.Swift(t, emulator.SwiftOptions{LogLevel: "WARNING"})
	return backend{
		name:      "swift",
		large:     true,
		redirects: true,
		params: func(root string) map[string]any {
			return map[string]any{
				"authurl":   s.AuthURL,
				"username":  s.User,
				"password":  s.Key,
				"container": "registry",
				"prefix":    root,
				"secretkey": "tempurl-key", // TempURL redirects
			}
		},
	}
}

func ossBackend(t *testing.T) backend {
	const bucket = "registry"
	srv := osstest.NewServer(osstest.Options{Buckets: []string{bucket}})
	t.Cleanup(srv.Close)
	return backend{
		name:      "oss",
		redirects: true,
		params: func(root string) map[string]any {
			return map[string]any{
				"accesskeyid":     osstest.DefaultAccessKeyID,
				"accesskeysecret": osstest.DefaultAccessKeySecret,
				"region":          "oss-cn-hangzhou",
				"bucket":          bucket,
				"endpoint":        srv.URL,
				"rootdirectory":   root,
			}
		},
	}
}
