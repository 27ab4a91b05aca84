package cloudfront

import (
	"context"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/feature/cloudfront/sign"

	"github.com/stowage/stowage/configmap"
	"github.com/stowage/stowage/driver"
)

// Name is the name the middleware is registered under.
const Name = "cloudfront"

func init() {
	driver.RegisterMiddleware(Name, configmap.Middleware(Name, func(ctx context.Context, next driver.StorageDriver, p Params, opts ...driver.Option) (driver.StorageDriver, error) {
		return New(ctx, next, p, opts...)
	}))
}

// Middleware serves redirects through CloudFront: RedirectURL returns a URL
// of the distribution signed with the key pair, except for clients in the
// AWS IP ranges chosen by ipfilteredby, which get the wrapped driver's URL.
// Every other method is the wrapped driver's.
type Middleware struct {
	driver.StorageDriver
	baseURL  string
	signer   *sign.URLSigner
	duration time.Duration
	ranges   *ipRanges // nil when ipfilteredby is none
	now      func() time.Time
}

// New wraps next. p is decided by configmap.Prepare and the private key
// loaded. With ipfilteredby other than none it starts refreshing the AWS IP
// ranges in the background, now and every updatefrequency, until Close
// (driver.Close closes every layer of a chain). The ranges are fetched with
// the HTTP client of opts, if any.
func New(ctx context.Context, next driver.StorageDriver, p Params, opts ...driver.Option) (*Middleware, error) {
	if err := configmap.Prepare(&p); err != nil {
		return nil, err
	}
	key, err := loadKey(p.PrivateKey)
	if err != nil {
		return nil, configmap.Errors{{Param: "privatekey", Msg: err.Error()}}
	}
	o := driver.NewOptions(opts...)
	m := &Middleware{
		StorageDriver: next,
		baseURL:       strings.TrimSuffix(p.BaseURL, "/") + "/",
		signer:        sign.NewURLSigner(p.KeyPairID, key),
		duration:      p.Duration,
		now:           time.Now,
	}
	if p.IPFilteredBy != "none" {
		var regions []string
		if p.IPFilteredBy == "awsregion" {
			regions = p.regions()
		}
		client := o.HTTPClient
		if client == nil {
			client = http.DefaultClient
		}
		m.ranges = newIPRanges(p.IPRangesURL, regions, client)
		m.ranges.start(context.WithoutCancel(ctx), p.UpdateFrequency)
	}
	return m, nil
}

// Unwrap returns the wrapped driver.
func (m *Middleware) Unwrap() driver.StorageDriver { return m.StorageDriver }

// Close stops the background refresh of the IP ranges.
func (m *Middleware) Close() error {
	if m.ranges != nil {
		m.ranges.stop()
	}
	return nil
}

// Refresh fetches the AWS IP ranges now.
func (m *Middleware) Refresh(ctx context.Context) error {
	if m.ranges == nil {
		return nil
	}
	return m.ranges.refresh(ctx)
}

// RedirectURL implements driver.StorageDriver.
func (m *Middleware) RedirectURL(r *http.Request, path string) (string, error) {
	if err := driver.CheckPath(path); err != nil {
		return "", driver.InvalidPathError{Path: path, DriverName: m.Name(), Reason: err.Error()}
	}
	if m.ranges != nil && r != nil && m.ranges.contains(clientIP(r)) {
		return m.StorageDriver.RedirectURL(r, path)
	}
	return m.signer.Sign(m.baseURL+strings.TrimPrefix(path, "/"), m.now().Add(m.duration))
}

// clientIP is the address of the client: the first X-Forwarded-For entry,
// X-Real-Ip, or the connection's address.
func clientIP(r *http.Request) net.IP {
	if fwd := r.Header.Get("X-Forwarded-For"); fwd != "" {
		first, _, _ := strings.Cut(fwd, ",")
		if ip := net.ParseIP(strings.TrimSpace(first)); ip != nil {
			return ip
		}
	}
	if ip := net.ParseIP(strings.TrimSpace(r.Header.Get("X-Real-Ip"))); ip != nil {
		return ip
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	return net.ParseIP(host)
}
