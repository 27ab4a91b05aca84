package bench

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"cloud.google.com/go/storage"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/service"
	alioss "github.com/aliyun/aliyun-oss-go-sdk/oss"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	storagedriver "github.com/distribution/distribution/v3/registry/storage/driver"
	distazure "github.com/distribution/distribution/v3/registry/storage/driver/azure"
	distfs "github.com/distribution/distribution/v3/registry/storage/driver/filesystem"
	dists3 "github.com/distribution/distribution/v3/registry/storage/driver/s3-aws"
	ncw "github.com/ncw/swift/v2"
	"google.golang.org/api/option"

	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/blob"
	"github.com/stowage/stowage/conformance/emulator"
	"github.com/stowage/stowage/distribution"
	"github.com/stowage/stowage/driver"
	"github.com/stowage/stowage/internal/sdkbench"
	"github.com/stowage/stowage/oss/osstest"

	_ "github.com/stowage/stowage/azure"
	_ "github.com/stowage/stowage/filesystem"
	_ "github.com/stowage/stowage/gcs"
	_ "github.com/stowage/stowage/oss"
	_ "github.com/stowage/stowage/s3"
	_ "github.com/stowage/stowage/swift"
)

// A provider starts its server once (setup) and opens, for one latency,
// the slots of a comparison, each rooted in an area of its own.
type provider struct {
	name string
	// latency says whether the provider runs with an added latency
	// (filesystem does not: there is no network).
	latency bool
	setup   func(b testing.TB) opener
}

// opener opens the slots for one delay (0: straight to the server).
type opener func(b testing.TB, delay time.Duration) []Slot

var providers = []provider{
	{name: "filesystem", setup: filesystemProvider},
	{name: "s3", latency: true, setup: s3Provider},
	{name: "gcs", latency: true, setup: gcsProvider},
	{name: "azure", latency: true, setup: azureProvider},
	{name: "swift", latency: true, setup: swiftProvider},
	{name: "oss", latency: true, setup: ossProvider},
}

// area is the root of a slot's data for one delay.
func area(slot string, delay time.Duration) string {
	return fmt.Sprintf("cmp-%s-%dms", slot, delay.Milliseconds())
}

// openStowage opens a stowage driver from parameters, as distribution sees
// it (through package distribution, which a registry would use).
func openStowage(b testing.TB, name string, params map[string]any) Target {
	b.Helper()
	d, err := driver.Open(context.Background(), name, params)
	if err != nil {
		b.Fatalf("stowage %s: %v", name, err)
	}
	b.Cleanup(func() { _ = driver.Close(d) })
	return DriverTarget{D: distribution.New(d)}
}

// stowageSlots opens stowage twice (the A/A control) with params(root).
func stowageSlots(b testing.TB, name string, delay time.Duration, params func(root string) map[string]any) []Slot {
	return []Slot{
		{Name: Stowage, Target: openStowage(b, name, params(area(Stowage, delay)))},
		{Name: Again, Target: openStowage(b, name, params(area(Again, delay)))},
	}
}

func referenceSlot(b testing.TB, d storagedriver.StorageDriver, err error) Slot {
	b.Helper()
	if err != nil {
		b.Fatalf("reference driver: %v", err)
	}
	return Slot{Name: Reference, Target: DriverTarget{D: d}}
}

// proxied returns rawURL with its host replaced by a proxy to it that
// delays every byte by delay each way (rawURL itself for no delay).
func proxied(b testing.TB, rawURL string, delay time.Duration) string {
	b.Helper()
	if delay == 0 {
		return rawURL
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		b.Fatal(err)
	}
	p, err := NewProxy(u.Host, delay)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = p.Close() })
	u.Host = p.Addr
	return u.String()
}

func filesystemProvider(b testing.TB) opener {
	dir := b.TempDir()
	return func(b testing.TB, delay time.Duration) []Slot {
		slots := stowageSlots(b, "filesystem", delay, func(root string) map[string]any {
			return map[string]any{"rootdirectory": filepath.Join(dir, root)}
		})
		ref, err := distfs.FromParameters(map[string]any{"rootdirectory": filepath.Join(dir, area(Reference, delay))})
		return append(slots, referenceSlot(b, ref, err))
	}
}

func s3Provider(b testing.TB) opener {
	m := emulator.StartMinIO(b)
	bucket := m.MakeBucket(b, "bench")
	return func(b testing.TB, delay time.Duration) []Slot {
		endpoint := proxied(b, m.Endpoint, delay)
		slots := stowageSlots(b, "s3", delay, func(root string) map[string]any {
			return map[string]any{
				"accesskey": m.AccessKey, "secretkey": m.SecretKey, "region": m.Region,
				"regionendpoint": endpoint, "bucket": bucket, "rootdirectory": root,
			}
		})
		ref, err := dists3.FromParameters(context.Background(), map[string]any{
			"accesskey": m.AccessKey, "secretkey": m.SecretKey, "region": m.Region,
			"regionendpoint": endpoint, "bucket": bucket, "rootdirectory": area(Reference, delay),
			"forcepathstyle": true, "secure": false,
		})
		client := s3.New(s3.Options{
			Region: m.Region, BaseEndpoint: aws.String(endpoint), UsePathStyle: true,
			Credentials: credentials.NewStaticCredentialsProvider(m.AccessKey, m.SecretKey, ""),
			// stowage's default checksummode, when_required.
			RequestChecksumCalculation: aws.RequestChecksumCalculationWhenRequired,
			ResponseChecksumValidation: aws.ResponseChecksumValidationWhenRequired,
		})
		sdk := sdkbench.S3{Client: client, Bucket: bucket, Key: sdkbench.Under(area(SDK, delay) + "/"), PartSize: 10 * mib, Concurrency: 4} // no Content-MD5: the adapter signs the body's SHA-256, as the SDK does
		slots = append(slots, referenceSlot(b, ref, err), Slot{Name: SDK, Target: sdk})
		if *flagS3Stream {
			stream := sdk
			stream.Key, stream.Stream = sdkbench.Under(area(SDKStream, delay)+"/"), true
			slots = append(slots, Slot{Name: SDKStream, Target: stream})
		}
		return slots
	}
}

// startFakeGCS starts a fake-gcs-server that names publicHost (its own
// address, or a proxy's) in the URLs it returns, such as the session URL
// of a resumable upload.
func startFakeGCS(b testing.TB, publicHost string) string {
	bin := emulator.FindBinary("fake-gcs-server")
	if bin == "" {
		emulator.Missing(b, "fake-gcs-server")
	}
	port := emulator.FreePort(b)
	host := fmt.Sprintf("127.0.0.1:%d", port)
	if publicHost == "" {
		publicHost = host
	}
	p := emulator.Start(b, "fake-gcs-server", exec.Command(bin,
		"-scheme", "http", "-backend", "memory", "-host", "127.0.0.1", "-port", fmt.Sprint(port),
		"-public-host", publicHost, "-external-url", "http://"+publicHost, "-log-level", "error"))
	p.WaitHTTP(b, "http://"+host+"/storage/v1/b", time.Minute, func(r *http.Response) bool { return r.StatusCode == http.StatusOK })
	resp, err := http.Post("http://"+host+"/storage/v1/b?project=bench", "application/json", strings.NewReader(`{"name":"bench"}`))
	if err != nil {
		b.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b.Fatalf("create bucket: %s: %s", resp.Status, body)
	}
	return host
}

func gcsProvider(b testing.TB) opener {
	return func(b testing.TB, delay time.Duration) []Slot {
		// One server per delay: it names its public address (the proxy's)
		// in the session URLs of resumable uploads.
		host := ""
		if delay == 0 {
			host = startFakeGCS(b, "")
		} else {
			p, err := NewProxy("127.0.0.1:1", delay)
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { _ = p.Close() })
			p.Retarget(startFakeGCS(b, p.Addr))
			host = p.Addr
		}
		endpoint := "http://" + host + "/storage/v1/"
		slots := stowageSlots(b, "gcs", delay, func(root string) map[string]any {
			return map[string]any{"bucket": "bench", "endpoint": endpoint, "anonymous": true, "rootdirectory": root}
		})
		client, err := storage.NewClient(context.Background(), option.WithEndpoint(endpoint), option.WithoutAuthentication())
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { _ = client.Close() })
		sdk := sdkbench.GCS{Bucket: client.Bucket("bench"), Key: sdkbench.Under(area(SDK, delay) + "/"), ChunkSize: 16 * mib, Concurrency: 50}
		slots = append(slots, Slot{Name: SDK, Target: sdk})
		if ref, err := gcsReference(b, host, area(Reference, delay)); err == nil {
			slots = append(slots, Slot{Name: Reference, Target: DriverTarget{D: ref}})
		} else {
			b.Logf("gcs: no reference slot: %v", err)
		}
		return slots
	}
}

// startAzurite starts azurite-blob on disk, in a directory of b's: the
// workloads write more than its in-memory store holds (half the machine's
// memory) before it collects deleted blobs.
func startAzurite(b testing.TB) string {
	bin := emulator.FindBinary("azurite-blob", filepath.Join(emulator.ToolsDir(), "npm", "node_modules", ".bin"))
	if bin == "" {
		emulator.Missing(b, "azurite-blob")
	}
	dir := b.TempDir()
	port := emulator.FreePort(b)
	cmd := exec.Command(bin, "--blobHost", "127.0.0.1", "--blobPort", fmt.Sprint(port), "--location", dir,
		"--skipApiVersionCheck", "--disableProductStyleUrl", "--disableTelemetry", "--silent")
	cmd.Dir = dir
	p := emulator.Start(b, "azurite-blob", cmd)
	serviceURL := fmt.Sprintf("http://127.0.0.1:%d/%s", port, emulator.AzuriteAccount)
	p.WaitHTTP(b, serviceURL+"?comp=list", 90*time.Second, nil)
	return serviceURL
}

func azureProvider(b testing.TB) opener {
	cred, err := blob.NewSharedKeyCredential(emulator.AzuriteAccount, emulator.AzuriteKey)
	if err != nil {
		b.Fatal(err)
	}
	return func(b testing.TB, delay time.Duration) []Slot {
		// A fresh server per delay: Azurite is slow to reclaim what the
		// workloads delete.
		serviceURL := proxied(b, startAzurite(b), delay)
		svc, err := service.NewClientWithSharedKeyCredential(serviceURL+"/", cred, &service.ClientOptions{
			ClientOptions: azcore.ClientOptions{PerCallPolicies: []policy.Policy{sdkbench.MD5Policy{}}}, // stowage's integrity checks
		})
		if err != nil {
			b.Fatal(err)
		}
		c := svc.NewContainerClient("bench")
		if _, err := c.Create(context.Background(), nil); err != nil && !strings.Contains(err.Error(), "ContainerAlreadyExists") {
			b.Fatal(err)
		}
		slots := stowageSlots(b, "azure", delay, func(root string) map[string]any {
			return map[string]any{
				"accountname": emulator.AzuriteAccount, "accountkey": emulator.AzuriteKey,
				"container": "bench", "serviceurl": serviceURL, "rootdirectory": root,
			}
		})
		params, err := distazure.NewParameters(map[string]any{
			"accountname": emulator.AzuriteAccount, "accountkey": emulator.AzuriteKey,
			"container": "bench", "serviceurl": serviceURL, "rootdirectory": area(Reference, delay),
			"credentials": map[string]any{"type": "shared_key"},
		})
		var ref storagedriver.StorageDriver
		if err == nil {
			ref, err = distazure.New(context.Background(), params)
		}
		sdk := sdkbench.Azure{Container: c, Key: sdkbench.Under(area(SDK, delay) + "/"), BlockSize: 4 * mib, Concurrency: 4}
		slots = append(slots, referenceSlot(b, ref, err), Slot{Name: SDK, Target: sdk})
		if *flagAzureBuffer {
			buf := sdkbench.Azure{Container: c, Key: sdkbench.Under(area(SDKBuffer, delay) + "/"), Buffer: true}
			slots = append(slots, Slot{Name: SDKBuffer, Target: buf})
		}
		return slots
	}
}

func swiftProvider(b testing.TB) opener {
	s := emulator.Swift(b, emulator.SwiftOptions{LogLevel: "ERROR"})
	return func(b testing.TB, delay time.Duration) []Slot {
		authURL := proxied(b, s.AuthURL, delay)
		slots := stowageSlots(b, "swift", delay, func(root string) map[string]any {
			return map[string]any{"authurl": authURL, "username": s.User, "password": s.Key, "container": "bench", "prefix": root}
		})
		conn := &ncw.Connection{UserName: s.User, ApiKey: s.Key, AuthUrl: authURL}
		if err := conn.Authenticate(context.Background()); err != nil {
			b.Fatal(err)
		}
		sdk := sdkbench.Swift{Conn: conn, Container: "bench", Key: sdkbench.Under(area(SDK, delay) + "/"), ChunkSize: 20 * mib}
		return append(slots, Slot{Name: SDK, Target: sdk})
	}
}

func ossProvider(b testing.TB) opener {
	serverURL := startOSSTest(b)
	return func(b testing.TB, delay time.Duration) []Slot {
		endpoint := proxied(b, serverURL, delay)
		slots := stowageSlots(b, "oss", delay, func(root string) map[string]any {
			return map[string]any{
				"accesskeyid": osstest.DefaultAccessKeyID, "accesskeysecret": osstest.DefaultAccessKeySecret,
				"region": "oss-cn-hangzhou", "bucket": "bench", "endpoint": endpoint, "rootdirectory": root,
			}
		})
		client, err := alioss.New(endpoint, osstest.DefaultAccessKeyID, osstest.DefaultAccessKeySecret, alioss.Region("cn-hangzhou"))
		if err != nil {
			b.Fatal(err)
		}
		bucket, err := client.Bucket("bench")
		if err != nil {
			b.Fatal(err)
		}
		sdk := sdkbench.OSS{Bucket: bucket, Key: sdkbench.Under(area(SDK, delay) + "/"), PartSize: 10 * mib, Concurrency: 4}
		return append(slots, Slot{Name: SDK, Target: sdk})
	}
}
