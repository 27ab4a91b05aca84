package emulator

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// MinIOKMSKey is the name of the KMS key MinIO is started with: SSE-S3 and
// SSE-KMS with this key ID work.
const MinIOKMSKey = "stowage-key"

// MinIODomain is the MINIO_DOMAIN MinIO is started with, so that buckets
// are also served virtual-hosted style at BUCKET.localhost:PORT. Such names
// do not resolve everywhere: use MinIO.HTTPClient, which dials every
// *.localhost at 127.0.0.1.
const MinIODomain = "localhost"

// MinIO is a running MinIO server.
type MinIO struct {
	*Process
	// Endpoint is http://127.0.0.1:PORT.
	Endpoint string
	// HostEndpoint is http://localhost:PORT, for virtual-hosted style.
	HostEndpoint string
	// Port is the API port.
	Port      int
	AccessKey string
	SecretKey string
	Region    string
	client    *s3.Client
}

// MinIOOption changes how StartMinIO runs the server.
type MinIOOption func(*minioConfig)

type minioConfig struct {
	env   []string
	certs string
}

// WithMinIOEnv adds environment variables (KEY=VALUE) to the server's.
func WithMinIOEnv(kv ...string) MinIOOption {
	return func(c *minioConfig) { c.env = append(c.env, kv...) }
}

// WithMinIOTLS serves HTTPS with the certificate and key in dir
// (public.crt and private.key, MinIO's names). Endpoint and HostEndpoint
// are then https URLs.
func WithMinIOTLS(dir string) MinIOOption {
	return func(c *minioConfig) { c.certs = dir }
}

// StartMinIO starts MinIO on free ports of 127.0.0.1 (API and console)
// with a fresh data directory and a KMS key, waits until it serves, and
// stops it when the test ends. It skips the test (fails it in CI) when the
// binary is not installed.
func StartMinIO(t testing.TB, opts ...MinIOOption) *MinIO {
	t.Helper()
	bin := FindBinary("minio")
	if bin == "" {
		Missing(t, "minio")
	}
	port, console := FreePort(t), FreePort(t)
	var key [32]byte
	_, _ = rand.Read(key[:])
	var secret [16]byte
	_, _ = rand.Read(secret[:])
	var cfg minioConfig
	for _, o := range opts {
		o(&cfg)
	}
	scheme := "http"
	if cfg.certs != "" {
		scheme = "https"
	}
	m := &MinIO{
		Port:         port,
		Endpoint:     fmt.Sprintf("%s://127.0.0.1:%d", scheme, port),
		HostEndpoint: fmt.Sprintf("%s://%s:%d", scheme, MinIODomain, port),
		AccessKey:    "stowage",
		SecretKey:    hex.EncodeToString(secret[:]),
		Region:       "us-east-1",
	}
	args := []string{"server", "--quiet",
		"--address", fmt.Sprintf("127.0.0.1:%d", port),
		"--console-address", fmt.Sprintf("127.0.0.1:%d", console)}
	if cfg.certs != "" {
		args = append(args, "--certs-dir", cfg.certs)
	}
	cmd := exec.Command(bin, append(args, t.TempDir())...)
	cmd.Env = append(cmd.Environ(),
		"MINIO_ROOT_USER="+m.AccessKey,
		"MINIO_ROOT_PASSWORD="+m.SecretKey,
		"MINIO_KMS_SECRET_KEY="+MinIOKMSKey+":"+base64.StdEncoding.EncodeToString(key[:]),
		"MINIO_DOMAIN="+MinIODomain,
		"MINIO_REGION="+m.Region,
		"MINIO_BROWSER=off",
		"MINIO_UPDATE=off",
		"MINIO_CI_CD=1",
	)
	cmd.Env = append(cmd.Env, cfg.env...)
	m.Process = Start(t, "minio", cmd)
	ready := func(r *http.Response) bool { return r.StatusCode == http.StatusOK }
	if cfg.certs == "" {
		m.WaitHTTP(t, m.Endpoint+"/minio/health/ready", 2*time.Minute, ready)
	} else {
		// WaitHTTP's client checks certificates: wait for the port, then
		// for readiness with a client that does not.
		m.waitTLS(t, 2*time.Minute)
	}
	m.client = s3.New(s3.Options{
		Region:       m.Region,
		BaseEndpoint: aws.String(m.Endpoint),
		UsePathStyle: true,
		Credentials:  credentials.NewStaticCredentialsProvider(m.AccessKey, m.SecretKey, ""),
		HTTPClient:   m.HTTPClient(),
	})
	return m
}

// MakeBucket creates a bucket and returns its name.
func (m *MinIO) MakeBucket(t testing.TB, name string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := m.client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(name)}); err != nil {
		t.Fatalf("minio: create bucket %s: %v", name, err)
	}
	return name
}

// Client returns an SDK client signed in as the root user, path style.
func (m *MinIO) Client() *s3.Client { return m.client }

// HTTPClient returns an HTTP client that dials every host name ending in
// .localhost (and localhost) at 127.0.0.1, for virtual-hosted style, and
// does not check certificates (a server started WithMinIOTLS has a
// self-signed one).
func (m *MinIO) HTTPClient() *http.Client {
	return &http.Client{Transport: LocalhostTransport()}
}

func (m *MinIO) waitTLS(t testing.TB, timeout time.Duration) {
	t.Helper()
	client := m.HTTPClient()
	client.Timeout = 2 * time.Second
	deadline := time.Now().Add(timeout)
	for {
		resp, err := client.Get(m.Endpoint + "/minio/health/ready")
		if err == nil {
			ok := resp.StatusCode == http.StatusOK
			resp.Body.Close()
			if ok {
				return
			}
		}
		if m.Exited() || time.Now().After(deadline) {
			t.Fatalf("minio did not serve %s: %v\n%s", m.Endpoint, err, m.Output())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// LocalhostTransport is an http.Transport that resolves localhost and
// *.localhost to 127.0.0.1 (RFC 6761), whatever the system resolver says,
// and does not check certificates: it is for talking to test servers.
func LocalhostTransport() *http.Transport {
	d := &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 256
	tr.TLSClientConfig = &tls.Config{InsecureSkipVerify: true} //nolint:gosec // test servers use self-signed certificates
	tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, port, err := net.SplitHostPort(addr)
		if err == nil && (host == "localhost" || strings.HasSuffix(host, ".localhost")) {
			addr = net.JoinHostPort("127.0.0.1", port)
		}
		return d.DialContext(ctx, network, addr)
	}
	return tr
}
