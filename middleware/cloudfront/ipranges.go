package cloudfront

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"sync"
	"time"
)

// ipRanges holds the AWS IP ranges, refreshed in the background.
type ipRanges struct {
	url     string
	regions []string // empty: every region
	client  *http.Client

	mu   sync.RWMutex
	nets []*net.IPNet

	cancel context.CancelFunc
	done   chan struct{}
}

func newIPRanges(url string, regions []string, client *http.Client) *ipRanges {
	return &ipRanges{url: url, regions: regions, client: client}
}

// awsIPRanges is the document at ip-ranges.amazonaws.com.
type awsIPRanges struct {
	Prefixes []struct {
		IPPrefix string `json:"ip_prefix"`
		Region   string `json:"region"`
	} `json:"prefixes"`
	IPv6Prefixes []struct {
		IPv6Prefix string `json:"ipv6_prefix"`
		Region     string `json:"region"`
	} `json:"ipv6_prefixes"`
}

func (r *ipRanges) refresh(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, r.url, nil)
	if err != nil {
		return err
	}
	resp, err := r.client.Do(req)
	if err != nil {
		return fmt.Errorf("cloudfront: fetch AWS IP ranges: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("cloudfront: fetch AWS IP ranges from %s: %s", r.url, resp.Status)
	}
	var doc awsIPRanges
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
		return fmt.Errorf("cloudfront: decode AWS IP ranges from %s: %w", r.url, err)
	}
	var nets []*net.IPNet
	add := func(cidr, region string) {
		if len(r.regions) > 0 && !slices.Contains(r.regions, region) {
			return
		}
		if _, n, err := net.ParseCIDR(cidr); err == nil {
			nets = append(nets, n)
		}
	}
	for _, p := range doc.Prefixes {
		add(p.IPPrefix, p.Region)
	}
	for _, p := range doc.IPv6Prefixes {
		add(p.IPv6Prefix, p.Region)
	}
	r.mu.Lock()
	r.nets = nets
	r.mu.Unlock()
	return nil
}

func (r *ipRanges) contains(ip net.IP) bool {
	if ip == nil {
		return false
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	for _, n := range r.nets {
		if n.Contains(ip) {
			return true
		}
	}
	return false
}

// start refreshes now and every period until stop.
func (r *ipRanges) start(ctx context.Context, period time.Duration) {
	ctx, r.cancel = context.WithCancel(ctx)
	r.done = make(chan struct{})
	go func() {
		defer close(r.done)
		t := time.NewTicker(period)
		defer t.Stop()
		for {
			if err := r.refresh(ctx); err != nil && ctx.Err() == nil {
				slog.Warn("cloudfront: AWS IP ranges not updated; keeping the previous ones", "err", err)
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
}

func (r *ipRanges) stop() {
	if r.cancel == nil {
		return
	}
	r.cancel()
	<-r.done
}
