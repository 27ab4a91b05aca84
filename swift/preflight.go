package swift

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"

	ncw "github.com/ncw/swift/v2"

	"github.com/stowage/stowage/driver"
)

var _ driver.Preflighter = (*Driver)(nil)

// Preflight implements driver.Preflighter: it checks, with a probe object
// in the hidden area, every kind of request the driver makes, and that a
// temporary URL made by RedirectURL is accepted when a key is configured.
func (d *Driver) Preflight(ctx context.Context) []driver.PreflightResult {
	probe := d.layout.Uploads() + "preflight"
	var out []driver.PreflightResult
	add := func(action string, err error) bool {
		out = append(out, driver.PreflightResult{Action: action, Err: err})
		return err == nil
	}
	_, _, err := d.conn.Container(ctx, d.container)
	add("HEAD container", err)
	_, err = d.conn.Objects(ctx, d.container, &ncw.ObjectsOpts{Prefix: d.layout.Root(), Limit: 1})
	add("GET container (list)", err)
	_, err = d.conn.ObjectPut(ctx, d.container, probe, bytes.NewReader([]byte("ok")), false, "", contentType,
		ncw.Headers{"Content-Length": "2"})
	if !add("PUT object", err) {
		return out
	}
	var buf bytes.Buffer
	_, err = d.conn.ObjectGet(ctx, d.container, probe, &buf, false, nil)
	add("GET object", err)
	_, err = d.conn.ObjectCopy(ctx, d.container, probe, d.container, probe+"-copy", nil)
	if add("COPY object", err) {
		err = d.deleteObjects(ctx, d.container, []string{probe + "-copy"})
		add("DELETE object", err)
	}
	if d.secretKey != "" && d.features.tempURL {
		add("GET temporary URL", d.checkTempURL(ctx, probe))
	}
	_ = d.conn.ObjectDelete(ctx, d.container, probe)
	return out
}

func (d *Driver) checkTempURL(ctx context.Context, key string) error {
	u, err := d.tempURL(ctx, http.MethodGet, key)
	if err != nil {
		return err
	}
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("temporary URL answered %s: is secretkey the account's (or container's) Temp-URL key?", resp.Status)
	}
	return nil
}
