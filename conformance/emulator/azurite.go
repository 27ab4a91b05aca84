package emulator

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// The well-known Azurite development account.
const (
	AzuriteAccount = "devstoreaccount1"
	AzuriteKey     = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
)

// Azurite is a running Azurite blob service.
type Azurite struct {
	*Process
	// ServiceURL is the account's blob endpoint, such as
	// http://127.0.0.1:PORT/devstoreaccount1.
	ServiceURL string
	// CertPEM is the server's self-signed certificate when started with
	// TLS, nil otherwise.
	CertPEM []byte
}

// AzuriteOptions configures StartAzurite.
type AzuriteOptions struct {
	// TLS serves HTTPS with a self-signed certificate for 127.0.0.1,
	// generated for the test.
	TLS bool
}

// StartAzurite starts azurite-blob on a free port of 127.0.0.1 with
// in-memory persistence, waits until it serves, and stops it when the test
// ends. It skips the test (fails it in CI) when Azurite is not installed.
func StartAzurite(t testing.TB, opts AzuriteOptions) *Azurite {
	t.Helper()
	bin := FindBinary("azurite-blob", filepath.Join(ToolsDir(), "npm", "node_modules", ".bin"))
	if bin == "" {
		Missing(t, "azurite-blob")
	}
	dir := t.TempDir()
	port := FreePort(t)
	args := []string{
		"--blobHost", "127.0.0.1",
		"--blobPort", fmt.Sprint(port),
		"--skipApiVersionCheck",
		"--disableProductStyleUrl",
		"--disableTelemetry",
		"--inMemoryPersistence",
		"--silent",
	}
	scheme := "http"
	a := &Azurite{}
	if opts.TLS {
		scheme = "https"
		certFile, keyFile, certPEM := selfSignedCert(t, dir)
		a.CertPEM = certPEM
		args = append(args, "--cert", certFile, "--key", keyFile)
	}
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	a.Process = Start(t, "azurite-blob", cmd)
	a.ServiceURL = fmt.Sprintf("%s://127.0.0.1:%d/%s", scheme, port, AzuriteAccount)
	client := &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{
		TLSClientConfig: &tls.Config{InsecureSkipVerify: true}, //nolint:gosec // readiness probe of a local test server
	}}
	deadline := time.Now().Add(90 * time.Second)
	for {
		resp, err := client.Get(a.ServiceURL + "?comp=list")
		if err == nil {
			resp.Body.Close()
			return a
		}
		if a.Exited() {
			t.Fatalf("azurite-blob exited before serving:\n%s", a.Output())
		}
		if time.Now().After(deadline) {
			t.Fatalf("azurite-blob did not serve %s: %v\n%s", a.ServiceURL, err, a.Output())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// selfSignedCert writes a certificate and key for 127.0.0.1 to dir.
func selfSignedCert(t testing.TB, dir string) (certFile, keyFile string, certPEM []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: "stowage test"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		DNSNames:     []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certPEM = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	certFile = filepath.Join(dir, "cert.pem")
	keyFile = filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, certPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	return certFile, keyFile, certPEM
}
