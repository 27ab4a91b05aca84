package s3

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"log/slog"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stowage/stowage/conformance/emulator"
	"github.com/stowage/stowage/driver"
)

// selfSigned writes a self-signed certificate for 127.0.0.1 and localhost
// as MinIO wants it.
func selfSigned(t *testing.T) string {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "stowage test"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		DNSNames:     []string{"localhost", "*.localhost"},
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, _ := x509.MarshalECPrivateKey(key)
	dir := t.TempDir()
	_ = os.WriteFile(filepath.Join(dir, "public.crt"), pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	_ = os.WriteFile(filepath.Join(dir, "private.key"), pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), 0o600)
	return dir
}

// TestTLS checks secure and skipverify against MinIO serving HTTPS with a
// self-signed certificate, the endpoint given without a scheme.
func TestTLS(t *testing.T) {
	if emulator.FindBinary("minio") == "" {
		emulator.Missing(t, "minio")
	}
	m := emulator.StartMinIO(t, emulator.WithMinIOTLS(selfSigned(t)))
	bucket := m.MakeBucket(t, "stowage-tls")
	hostPort := strings.TrimPrefix(m.Endpoint, "https://")
	params := func(kv ...any) map[string]any {
		return with(map[string]any{
			"accesskey": m.AccessKey, "secretkey": m.SecretKey, "bucket": bucket,
			"regionendpoint": hostPort, "rootdirectory": newRoot(t),
		}, kv...)
	}
	d := driver.Wrap(open(t, params("skipverify", true)))
	if err := d.PutContent(ctx(t), "/tls", []byte("over https")); err != nil {
		t.Fatalf("secure, skipverify: %v", err)
	}
	mustContent(t, d, "/tls", []byte("over https"))

	err := driver.Wrap(open(t, params())).PutContent(ctx(t), "/tls", []byte("x"))
	if err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("secure without skipverify: %v, want a certificate error", err)
	}
	quiet := driver.WithLogger(slog.New(slog.DiscardHandler)) // the SDK warns about the unread error bodies
	if err := driver.Wrap(open(t, params("secure", false), quiet)).PutContent(ctx(t), "/tls", []byte("x")); err == nil {
		t.Fatal("secure: false (plain HTTP to an HTTPS server) succeeded")
	}
}
