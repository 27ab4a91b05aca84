package bench

import (
	"io"
	"net"
	"sync"
	"time"
)

// Proxy is a TCP proxy on 127.0.0.1 that delays every byte by Delay in
// each direction, as a network with a round trip of 2 × Delay does: a
// request reaches the server Delay after the client sent it, and its
// response reaches the client Delay after the server sent it. Bandwidth is
// not limited (up to 32 MiB may be in flight per direction of a
// connection), and connection set-up costs nothing extra. Every client of
// the store under test (stowage's adapter, the reference driver, the raw
// SDK) is pointed at the proxy, so all of them pay the same latency,
// whatever HTTP client they use.
type Proxy struct {
	// Addr is the proxy's address, 127.0.0.1:PORT.
	Addr  string
	Delay time.Duration

	ln     net.Listener
	target string
	mu     sync.Mutex
	conns  map[net.Conn]struct{}
	wg     sync.WaitGroup
}

// NewProxy listens on a free port of 127.0.0.1 and forwards every
// connection to target (host:port), delayed by delay each way. Close stops
// it.
func NewProxy(target string, delay time.Duration) (*Proxy, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &Proxy{Addr: ln.Addr().String(), Delay: delay, ln: ln, target: target, conns: map[net.Conn]struct{}{}}
	p.wg.Add(1)
	go p.serve()
	return p, nil
}

// Retarget makes new connections go to target; open ones stay where they
// are. It is for a server whose own address must name the proxy (set up
// before the server starts).
func (p *Proxy) Retarget(target string) {
	p.mu.Lock()
	p.target = target
	p.mu.Unlock()
}

// Close stops accepting connections and closes the open ones.
func (p *Proxy) Close() error {
	err := p.ln.Close()
	p.mu.Lock()
	for c := range p.conns {
		_ = c.Close()
	}
	p.mu.Unlock()
	p.wg.Wait()
	return err
}

func (p *Proxy) track(c net.Conn, on bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if on {
		p.conns[c] = struct{}{}
	} else {
		delete(p.conns, c)
	}
}

func (p *Proxy) serve() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.wg.Add(1)
		go p.handle(c)
	}
}

func (p *Proxy) handle(client net.Conn) {
	defer p.wg.Done()
	p.mu.Lock()
	target := p.target
	p.mu.Unlock()
	server, err := net.Dial("tcp", target)
	if err != nil {
		_ = client.Close()
		return
	}
	p.track(client, true)
	p.track(server, true)
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); pipe(server, client, p.Delay) }()
	go func() { defer wg.Done(); pipe(client, server, p.Delay) }()
	wg.Wait()
	_ = client.Close()
	_ = server.Close()
	p.track(client, false)
	p.track(server, false)
}

type chunk struct {
	b   *[]byte
	n   int
	due time.Time
}

var chunkPool = sync.Pool{New: func() any { b := make([]byte, 32<<10); return &b }}

// pipe copies src to dst, each chunk Delay after it was read, then
// half-closes dst. At most 1024 chunks of 32 KiB wait per direction.
func pipe(dst, src net.Conn, delay time.Duration) {
	ch := make(chan chunk, 1024)
	go func() {
		defer close(ch)
		for {
			b := chunkPool.Get().(*[]byte)
			n, err := src.Read(*b)
			if n > 0 {
				ch <- chunk{b: b, n: n, due: time.Now().Add(delay)}
			} else {
				chunkPool.Put(b)
			}
			if err != nil {
				return
			}
		}
	}()
	failed := false
	for c := range ch {
		if !failed {
			if d := time.Until(c.due); d > 0 {
				time.Sleep(d)
			}
			if _, err := dst.Write((*c.b)[:c.n]); err != nil {
				failed = true
				_ = src.Close() // unblocks the reader
			}
		}
		chunkPool.Put(c.b)
	}
	if tc, ok := dst.(*net.TCPConn); ok {
		_ = tc.CloseWrite()
	}
}

var _ io.Closer = (*Proxy)(nil)
