package emulator

import (
	"bufio"
	"crypto/rand"
	"embed"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strings"
	"testing"
	"text/template"
	"time"
)

//go:embed swiftconf/*
var swiftConf embed.FS

// SwiftOptions configures the OpenStack Swift cluster started by Swift.
type SwiftOptions struct {
	// NoTempURL leaves the tempurl middleware out of the proxy pipeline,
	// so temporary URLs are refused (401) as on a cluster without it.
	NoTempURL bool
	// NoSLO leaves the slo middleware out (dlo stays: Swift always
	// inserts it), for clients' DLO code paths.
	NoSLO bool
	// NoBulk leaves the bulk middleware out (no bulk delete).
	NoBulk bool
	// LogLevel is the servers' log_level; "" means INFO (every request is
	// logged by proxy-logging, which shows in the output of a failed start).
	LogLevel string
}

// SwiftServer is a running one-node OpenStack Swift cluster.
type SwiftServer struct {
	// AuthURL is the tempauth v1 endpoint, http://127.0.0.1:PORT/auth/v1.0.
	AuthURL string
	// User and Key are the tempauth credentials: test:tester, testing
	// (an account admin, so it may set the account's Temp-URL key).
	User, Key string
	// ProxyURL is the proxy's base URL, http://127.0.0.1:PORT.
	ProxyURL string
	// Dir holds swift.conf, the rings, the server configs and the devices.
	Dir string
	// Startup is how long starting the cluster took, rings included.
	Startup time.Duration
}

// swiftMissing names what to install when Swift is missing.
const swiftMissing = "OpenStack Swift (Debian packages swift swift-proxy swift-account swift-container swift-object memcached)"

// Swift starts a one-replica OpenStack Swift cluster (Swift 2.30 from the
// distribution's packages) made of memcached, an account, a container and
// an object server and a proxy with tempauth, tempurl, bulk, slo and dlo,
// each a foreground process on a free port of 127.0.0.1, and stops it all
// when the test ends.
//
// Nothing outside a temporary directory is used: Swift hard-codes
// /etc/swift/swift.conf, so the servers run through a small Python
// wrapper (swiftconf/run.py) that points Swift at the temporary
// swift.conf before it is read, and runs run_wsgi in the foreground
// (workers = 0: no fork, no daemon). The rings are built by
// swift-ring-builder's own main(), in one Python process. As root the
// configs say user = root (Swift would otherwise switch to the user
// "swift", which cannot write the temporary directory) and memcached gets
// -u root. The object server keeps metadata in user extended attributes:
// the temporary directory is the first of $TMPDIR (t.TempDir), /var/tmp
// and $HOME/.cache/stowage/tmp whose filesystem accepts them (tmpfs
// without user xattrs does not).
func Swift(t testing.TB, opts SwiftOptions) *SwiftServer {
	t.Helper()
	start := time.Now()
	proxyBin := FindBinary("swift-proxy-server")
	memcached := FindBinary("memcached")
	for _, b := range []string{"swift-account-server", "swift-container-server", "swift-object-server", "swift-ring-builder"} {
		if FindBinary(b) == "" {
			proxyBin = ""
		}
	}
	if proxyBin == "" || memcached == "" {
		Missing(t, swiftMissing)
	}
	python, err := swiftPython(proxyBin)
	if err != nil {
		t.Fatalf("swift: %v", err)
	}
	dir := swiftTempDir(t, python)

	runPy := filepath.Join(dir, "run.py")
	if err := copyEmbedded("swiftconf/run.py", runPy); err != nil {
		t.Fatalf("swift: %v", err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "devices", "d1"), 0o755); err != nil {
		t.Fatalf("swift: %v", err)
	}

	ports := map[string]int{}
	for _, n := range []string{"memcached", "account", "container", "object", "proxy"} {
		ports[n] = FreePort(t)
	}
	runUser, err := swiftUser()
	if err != nil {
		t.Fatalf("swift: %v", err)
	}
	logLevel := opts.LogLevel
	if logLevel == "" {
		logLevel = "INFO"
	}
	data := map[string]any{
		"Dir": dir, "User": runUser, "LogLevel": logLevel,
		"HashSuffix": randomHex(), "HashPrefix": randomHex(),
		"MemcachePort": ports["memcached"], "TempURL": !opts.NoTempURL,
		"SLO": !opts.NoSLO, "Bulk": !opts.NoBulk,
	}
	render := func(tmpl, out string, extra map[string]any) {
		t.Helper()
		d := map[string]any{}
		for k, v := range data {
			d[k] = v
		}
		for k, v := range extra {
			d[k] = v
		}
		if err := renderTemplate(tmpl, filepath.Join(dir, out), d); err != nil {
			t.Fatalf("swift: %v", err)
		}
	}
	render("swiftconf/swift.conf", "swift.conf", nil)
	for _, kind := range []string{"account", "container", "object"} {
		render("swiftconf/backend.conf", kind+"-server.conf", map[string]any{
			"Name": kind + "-server", "Kind": kind, "Port": ports[kind],
		})
	}
	render("swiftconf/proxy-server.conf", "proxy-server.conf", map[string]any{"Port": ports["proxy"]})

	// memcached starts while the rings are built.
	mcArgs := []string{"-l", "127.0.0.1", "-p", fmt.Sprint(ports["memcached"]), "-U", "0", "-m", "64"}
	if os.Geteuid() == 0 {
		mcArgs = append(mcArgs, "-u", "root")
	}
	mc := Start(t, "memcached", exec.Command(memcached, mcArgs...))

	rings := exec.Command(python, runPy, "rings", dir,
		fmt.Sprint(ports["account"]), fmt.Sprint(ports["container"]), fmt.Sprint(ports["object"]))
	rings.Dir = dir
	if out, err := rings.CombinedOutput(); err != nil {
		t.Fatalf("swift: building rings: %v\n%s", err, out)
	}

	procs := map[string]*Process{}
	for _, kind := range []string{"account", "container", "object", "proxy"} {
		name := kind + "-server"
		cmd := exec.Command(python, runPy, "server", dir, name, filepath.Join(dir, name+".conf"))
		cmd.Dir = dir
		procs[kind] = Start(t, "swift "+name, cmd)
	}

	waitTCP(t, mc, ports["memcached"], 30*time.Second)
	for _, kind := range []string{"account", "container", "object"} {
		procs[kind].WaitHTTP(t, fmt.Sprintf("http://127.0.0.1:%d/", ports[kind]), 60*time.Second, nil)
	}
	proxyURL := fmt.Sprintf("http://127.0.0.1:%d", ports["proxy"])
	procs["proxy"].WaitHTTP(t, proxyURL+"/info", 60*time.Second, func(r *http.Response) bool {
		return r.StatusCode == http.StatusOK
	})
	s := &SwiftServer{
		AuthURL:  proxyURL + "/auth/v1.0",
		User:     "test:tester",
		Key:      "testing",
		ProxyURL: proxyURL,
		Dir:      dir,
		Startup:  time.Since(start),
	}
	t.Logf("swift: cluster at %s started in %s (dir %s)", s.AuthURL, s.Startup.Round(time.Millisecond), dir)
	return s
}

// swiftPython returns the interpreter named on the #! line of the Swift
// scripts: the distribution's python3, which has the swift modules, and
// may differ from the python3 on PATH.
func swiftPython(script string) (string, error) {
	f, err := os.Open(script)
	if err != nil {
		return "", err
	}
	defer f.Close()
	line, err := bufio.NewReader(f).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "#!") {
		return "", fmt.Errorf("%s: no #! line", script)
	}
	fields := strings.Fields(strings.TrimPrefix(line, "#!"))
	if len(fields) == 0 {
		return "", fmt.Errorf("%s: empty #! line", script)
	}
	if filepath.Base(fields[0]) == "env" && len(fields) > 1 {
		return exec.LookPath(fields[1])
	}
	return fields[0], nil
}

// swiftTempDir returns a fresh directory, removed at the end of the test,
// on a filesystem that accepts user extended attributes.
func swiftTempDir(t testing.TB, python string) string {
	t.Helper()
	candidates := []string{t.TempDir(), "/var/tmp", filepath.Join(ToolsDir(), "tmp")}
	var tried []string
	for _, parent := range candidates {
		if err := os.MkdirAll(parent, 0o755); err != nil {
			tried = append(tried, fmt.Sprintf("%s: %v", parent, err))
			continue
		}
		dir, err := os.MkdirTemp(parent, "swift-")
		if err != nil {
			tried = append(tried, fmt.Sprintf("%s: %v", parent, err))
			continue
		}
		probe := exec.Command(python, "-c", `import os, sys
p = os.path.join(sys.argv[1], "xattr-probe")
open(p, "w").close()
os.setxattr(p, "user.swift.probe", b"1")
os.remove(p)`, dir)
		if out, err := probe.CombinedOutput(); err != nil {
			os.RemoveAll(dir)
			tried = append(tried, fmt.Sprintf("%s: no user xattrs: %v %s", parent, err, strings.TrimSpace(string(out))))
			continue
		}
		t.Cleanup(func() { os.RemoveAll(dir) })
		return dir
	}
	t.Fatalf("swift: no temporary directory accepts user extended attributes (Swift's object server needs them):\n%s", strings.Join(tried, "\n"))
	return ""
}

func swiftUser() (string, error) {
	if os.Geteuid() == 0 {
		return "root", nil
	}
	u, err := user.Current()
	if err != nil {
		return "", err
	}
	return u.Username, nil
}

func copyEmbedded(name, dst string) error {
	b, err := swiftConf.ReadFile(name)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, b, 0o644)
}

func renderTemplate(name, dst string, data any) error {
	tmpl, err := template.ParseFS(swiftConf, name)
	if err != nil {
		return err
	}
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	if err := tmpl.Execute(f, data); err != nil {
		f.Close()
		return fmt.Errorf("%s: %w", name, err)
	}
	return f.Close()
}

func randomHex() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// waitTCP waits until something accepts connections on port.
func waitTCP(t testing.TB, p *Process, port int, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), time.Second)
		if err == nil {
			c.Close()
			return
		}
		if p.Exited() {
			t.Fatalf("%s exited before serving:\n%s", p.Name, p.Output())
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s did not listen on %d within %s:\n%s", p.Name, port, timeout, p.Output())
		}
		time.Sleep(50 * time.Millisecond)
	}
}
