package faultproxy

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Config configures a Proxy.
type Config struct {
	// Target is the base URL of the server, such as http://127.0.0.1:9000.
	// Requests keep their path and query.
	Target string
	// Seed seeds the random choices (which request, which fault, where a
	// body is cut).
	Seed uint64
	// Rate is the probability, from 0 to 1, that a request gets a fault.
	Rate float64
	// Faults are the kinds chosen from, uniformly; nil means Transient.
	Faults []Fault
	// Latency is added to every request before it is forwarded.
	Latency time.Duration
	// DelayTime is how long a Delay fault holds a request; zero means
	// 200 ms.
	DelayTime time.Duration
	// StallTime is how long a Stall fault stops a response; zero means
	// 2 s.
	StallTime time.Duration
	// Exempt, when set, names requests that never get a fault (but do
	// get Latency), such as the requests of a protocol an emulator gets
	// wrong when they are repeated. It must be safe for concurrent use and
	// must not read the request body.
	Exempt func(r *http.Request) bool
	// TargetHost sends the target's address as the Host header instead
	// of the Host the proxy received, for servers that route by Host
	// (fake-gcs-server takes any other host for a virtual-hosted bucket)
	// and clients that sign nothing over it.
	TargetHost bool
	// Decide, when set, is asked first for every request: a fault other
	// than None is injected as is (and counted), None leaves the request
	// to Rate. It must be safe for concurrent use, and must not read the
	// request body.
	Decide func(r *http.Request) Fault
}

// Proxy is a running fault-injecting proxy. Its methods are safe for
// concurrent use.
type Proxy struct {
	cfg    Config
	target *url.URL
	url    string
	ln     net.Listener
	srv    *http.Server
	tr     *http.Transport

	rate atomic.Uint64 // math.Float64bits of the rate

	mu  sync.Mutex
	rnd *rand.Rand

	requests atomic.Int64
	counts   [numFaults]atomic.Int64

	stop     chan struct{}
	stopOnce sync.Once
}

// Start listens on a free port of 127.0.0.1 and serves until Close.
func Start(cfg Config) (*Proxy, error) {
	target, err := url.Parse(strings.TrimSuffix(cfg.Target, "/"))
	if err != nil || (target.Scheme != "http" && target.Scheme != "https") || target.Host == "" {
		return nil, fmt.Errorf("faultproxy: target must be an http or https URL, got %q", cfg.Target)
	}
	if cfg.Rate < 0 || cfg.Rate > 1 {
		return nil, fmt.Errorf("faultproxy: rate must be between 0 and 1, got %v", cfg.Rate)
	}
	if cfg.Faults == nil {
		cfg.Faults = Transient
	}
	for _, f := range cfg.Faults {
		if f <= None || f >= numFaults {
			return nil, fmt.Errorf("faultproxy: unknown fault %d", f)
		}
	}
	if cfg.DelayTime <= 0 {
		cfg.DelayTime = 200 * time.Millisecond
	}
	if cfg.StallTime <= 0 {
		cfg.StallTime = 2 * time.Second
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("faultproxy: %w", err)
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.DisableCompression = true // bodies pass as they are
	tr.MaxIdleConnsPerHost = 256
	tr.Proxy = nil
	p := &Proxy{
		cfg:    cfg,
		target: target,
		url:    "http://" + ln.Addr().String(),
		ln:     ln,
		tr:     tr,
		rnd:    rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15)),
		stop:   make(chan struct{}),
	}
	p.SetRate(cfg.Rate)
	p.srv = &http.Server{Handler: http.HandlerFunc(p.serve), ReadHeaderTimeout: time.Minute}
	go func() { _ = p.srv.Serve(ln) }()
	return p, nil
}

// URL returns the proxy's base URL, http://127.0.0.1:PORT.
func (p *Proxy) URL() string { return p.url }

// Host returns the proxy's address, 127.0.0.1:PORT.
func (p *Proxy) Host() string { return p.ln.Addr().String() }

// SetRate changes the fault rate (0 to 1) from the next request on.
func (p *Proxy) SetRate(rate float64) { p.rate.Store(uint64(rate * 1e9)) }

// Rate returns the fault rate in force.
func (p *Proxy) Rate() float64 { return float64(p.rate.Load()) / 1e9 }

// Close stops the proxy: the listener and every connection are closed and
// stalls end at once.
func (p *Proxy) Close() error {
	p.stopOnce.Do(func() { close(p.stop) })
	err := p.srv.Close()
	p.tr.CloseIdleConnections()
	return err
}

// Stats is what a proxy counted since it started.
type Stats struct {
	// Requests is the number of requests received.
	Requests int64
	// Faults is the number of faults injected, per kind.
	Faults map[Fault]int64
}

// Total returns the number of faults of every kind.
func (s Stats) Total() int64 {
	var n int64
	for _, c := range s.Faults {
		n += c
	}
	return n
}

// String lists the requests and the faults per kind, such as
// "412 requests, 83 faults: internal_error=14 slow_down=12 ...".
func (s Stats) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d requests, %d faults", s.Requests, s.Total())
	sep := ": "
	for f := None + 1; f < numFaults; f++ {
		if n := s.Faults[f]; n > 0 {
			fmt.Fprintf(&b, "%s%s=%d", sep, f, n)
			sep = " "
		}
	}
	return b.String()
}

// Stats returns the counts so far.
func (p *Proxy) Stats() Stats {
	s := Stats{Requests: p.requests.Load(), Faults: map[Fault]int64{}}
	for f := None + 1; f < numFaults; f++ {
		if n := p.counts[f].Load(); n > 0 {
			s.Faults[f] = n
		}
	}
	return s
}

// choose decides the fault of a request.
func (p *Proxy) choose(r *http.Request) Fault {
	if p.cfg.Exempt != nil && p.cfg.Exempt(r) {
		return None
	}
	if p.cfg.Decide != nil {
		if f := p.cfg.Decide(r); f > None && f < numFaults {
			return f
		}
	}
	rate := p.Rate()
	if rate <= 0 || len(p.cfg.Faults) == 0 {
		return None
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.rnd.Float64() >= rate {
		return None
	}
	return p.cfg.Faults[p.rnd.IntN(len(p.cfg.Faults))]
}

// cut returns where to cut a body of n bytes (n < 0: unknown): at least 1
// byte is kept when there is any, and never all of it.
func (p *Proxy) cut(n int64) int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case n < 0:
		return 1 + p.rnd.Int64N(64<<10)
	case n <= 1:
		return 0
	default:
		return 1 + p.rnd.Int64N(n-1)
	}
}

func (p *Proxy) sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	case <-p.stop:
		return false
	}
}

func (p *Proxy) serve(w http.ResponseWriter, r *http.Request) {
	p.requests.Add(1)
	fault := p.choose(r)
	if fault != None {
		p.counts[fault].Add(1)
	}
	if !p.sleep(r.Context(), p.cfg.Latency) {
		return
	}
	switch fault {
	case InternalError, SlowDown, TooManyRequests:
		_, _ = io.Copy(io.Discard, r.Body)
		writeError(w, r, fault)
		return
	case ResetRequest:
		p.resetRequest(w, r)
		return
	case Delay:
		if !p.sleep(r.Context(), p.cfg.DelayTime) {
			return
		}
	}
	resp, err := p.forward(r, fault == Corrupt)
	if err != nil {
		if r.Context().Err() == nil {
			http.Error(w, "faultproxy: "+err.Error(), http.StatusBadGateway)
		}
		return
	}
	defer resp.Body.Close()
	p.respond(w, r, resp, fault)
}

// resetRequest reads part of the request body, then resets the connection.
func (p *Proxy) resetRequest(w http.ResponseWriter, r *http.Request) {
	if r.ContentLength != 0 {
		_, _ = io.CopyN(io.Discard, r.Body, p.cut(r.ContentLength))
	}
	reset(w, false, true)
}

// reset takes the connection over and closes it: with a TCP RST when rst,
// cleanly otherwise. With wrote, what was written before is flushed first
// (without, nothing is sent: a Flush would send a 200 of its own).
func reset(w http.ResponseWriter, wrote, rst bool) {
	if f, ok := w.(http.Flusher); ok && wrote {
		f.Flush()
	}
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, buf, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	_ = buf.Flush()
	if tc, ok := conn.(*net.TCPConn); ok && rst {
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
}

// hopHeaders are not forwarded (RFC 9110, 7.6.1), nor is Expect: the
// proxy's own server answered it.
var hopHeaders = []string{
	"Connection", "Proxy-Connection", "Keep-Alive", "Proxy-Authenticate",
	"Proxy-Authorization", "Te", "Trailer", "Transfer-Encoding", "Upgrade", "Expect",
}

func (p *Proxy) forward(r *http.Request, corrupt bool) (*http.Response, error) {
	u := *p.target
	u.Path = r.URL.Path
	u.RawPath = r.URL.RawPath
	u.RawQuery = r.URL.RawQuery
	var body io.Reader = r.Body
	if r.ContentLength == 0 {
		body = nil
	}
	if corrupt && body != nil {
		body = &flipper{r: body, at: p.cut(r.ContentLength)}
	}
	out, err := http.NewRequestWithContext(r.Context(), r.Method, u.String(), body)
	if err != nil {
		return nil, err
	}
	out.Header = r.Header.Clone()
	for _, h := range hopHeaders {
		out.Header.Del(h)
	}
	out.ContentLength = r.ContentLength
	out.Host = r.Host
	if p.cfg.TargetHost {
		out.Host = p.target.Host
	}
	if _, ok := out.Header["User-Agent"]; !ok {
		out.Header["User-Agent"] = nil // no Go default
	}
	return p.tr.RoundTrip(out)
}

// respond copies the server's response, with the response fault if any.
func (p *Proxy) respond(w http.ResponseWriter, r *http.Request, resp *http.Response, fault Fault) {
	h := w.Header()
	for k, vs := range resp.Header {
		for _, v := range vs {
			h.Add(k, p.rewrite(v))
		}
	}
	for _, k := range hopHeaders {
		h.Del(k)
	}
	hasBody := r.Method != http.MethodHead && resp.StatusCode != http.StatusNoContent &&
		resp.StatusCode != http.StatusNotModified && resp.ContentLength != 0
	if resp.ContentLength >= 0 {
		h.Set("Content-Length", strconv.FormatInt(resp.ContentLength, 10))
	}
	switch fault {
	case ResetResponse, Truncate:
		if !hasBody {
			// Nothing to cut: the client never hears the answer.
			reset(w, false, true)
			return
		}
		w.WriteHeader(resp.StatusCode)
		_, _ = io.CopyN(w, resp.Body, p.cut(resp.ContentLength))
		reset(w, true, fault == ResetResponse)
		return
	case Stall:
		if hasBody {
			w.WriteHeader(resp.StatusCode)
			_, _ = io.CopyN(w, resp.Body, p.cut(resp.ContentLength))
			if f, ok := w.(http.Flusher); ok {
				f.Flush()
			}
		}
		// Without a body, the answer itself is late.
		if !p.sleep(r.Context(), p.cfg.StallTime) {
			return
		}
		if !hasBody {
			w.WriteHeader(resp.StatusCode)
		}
	default:
		w.WriteHeader(resp.StatusCode)
	}
	if hasBody {
		if _, err := io.Copy(w, resp.Body); err != nil && !errors.Is(err, context.Canceled) {
			// The server's side broke: the client sees a broken body.
			panic(http.ErrAbortHandler)
		}
	}
}

// flipper inverts the bits of the byte at offset at of what it reads: a
// body damaged on the way, its length unchanged.
type flipper struct {
	r   io.Reader
	at  int64
	off int64
}

func (f *flipper) Read(b []byte) (int, error) {
	n, err := f.r.Read(b)
	if f.at >= f.off && f.at < f.off+int64(n) {
		b[f.at-f.off] ^= 0xff
	}
	f.off += int64(n)
	return n, err
}

// rewrite replaces the server's base URL at the start of a header value
// with the proxy's.
func (p *Proxy) rewrite(v string) string {
	base := p.target.Scheme + "://" + p.target.Host
	if strings.HasPrefix(v, base) {
		return p.url + v[len(base):]
	}
	return v
}
