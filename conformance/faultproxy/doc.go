// Package faultproxy is an HTTP reverse proxy on 127.0.0.1 that injects the
// faults of a bad network and a busy object store between a client and a
// server, for tests and benchmarks of storage drivers.
//
// Point the driver at the proxy's URL instead of the server's (the
// endpoint, service URL or auth URL parameter) and every request goes
// through it:
//
//	p, err := faultproxy.Start(faultproxy.Config{
//		Target: minio.Endpoint, // http://127.0.0.1:PORT
//		Seed:   1,
//		Rate:   0.2, // one request in five gets a fault
//	})
//	if err != nil { ... }
//	defer p.Close()
//	params["regionendpoint"] = p.URL()
//
// Each request, with probability Rate, gets one fault chosen uniformly
// among Config.Faults (Transient by default):
//
//   - InternalError, SlowDown, TooManyRequests: the request body is read
//     and the server is never reached; the answer is 500 InternalError,
//     503 SlowDown (with x-ms-error-code ServerBusy for Azure clients) or
//     429, with an S3-style XML error document.
//   - ResetRequest: the connection is reset (TCP RST) part way through the
//     request body, or before anything is read when there is none. The
//     server sees an aborted request.
//   - ResetResponse: the server answers, the proxy sends the status, the
//     headers and part of the body, then resets the connection. A response
//     without a body is reset before anything is sent: the server did the
//     work but the client never hears of it (the "lost response" of a PUT,
//     DELETE or multipart complete).
//   - Truncate: as ResetResponse, but the connection is closed cleanly
//     after part of the body, so the client reads a short body (with a
//     Content-Length, io.ErrUnexpectedEOF).
//   - Delay: the request waits DelayTime before it is forwarded.
//   - Stall: the response stops for StallTime after part of its body (a
//     response without a body comes StallTime late), then goes on; a
//     client whose context ends first gives up.
//
// Corrupt, which only Faults or Decide ask for (it is in neither Transient
// nor All), inverts one byte of the request body on its way to the
// server, its length unchanged: a client survives it where every body
// carries a checksum the server checks (Content-MD5, an ETag, a CRC).
//
// Latency adds a fixed delay to every request, whatever Rate says: a slow
// network for benchmarks, with Rate 0 and no fault at all.
//
// Decisions come from a random source seeded with Seed, so a run is
// reproducible as far as the order of concurrent requests allows. Decide,
// when set, replaces the random choice for the requests it returns a fault
// for (deterministic tests: "cut the first GET of this object"). SetRate
// changes the rate while the proxy runs (0 for a setup phase without
// faults). Stats counts requests and faults per kind.
//
// The proxy forwards the Host header it received, so that a signature over
// Host (AWS Signature Version 4) made for the proxy's address still
// matches on the server, and the server names the proxy in the URLs it
// builds from Host (Swift's storage URL); with TargetHost it sends the
// server's own address instead (fake-gcs-server routes by Host). Response headers that carry the
// server's own URL (Location of a resumable upload session, X-Storage-Url)
// are rewritten to the proxy's. Nothing else is changed: no compression is
// added or removed, bodies are streamed.
package faultproxy
