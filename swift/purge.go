package swift

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"

	ncw "github.com/ncw/swift/v2"

	"github.com/stowage/stowage/driver"
)

var _ driver.UploadPurger = (*Driver)(nil)

// PurgeUploads implements driver.UploadPurger: it removes the uploads in
// progress (marker and segments) whose marker is older than olderThan, in
// the current layout and in the one of stowage before it (see
// legacyPrefix). Segments of committed objects are never touched.
func (d *Driver) PurgeUploads(ctx context.Context, olderThan time.Duration) (int, error) {
	cutoff := time.Now().Add(-olderThan)
	n := 0
	for _, prefix := range []string{d.layout.Uploads(), d.legacyPrefix() + "uploads/"} {
		m, err := d.purgeMarkers(ctx, prefix, cutoff)
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// legacyPrefix is where stowage kept upload state before the shared
// layout: "<prefix>~stowage/", with markers under "uploads/<hash of path>"
// and segments under "segments/<hash of path>/<id>/".
func (d *Driver) legacyPrefix() string {
	return strings.TrimSuffix(d.layout.Root(), "/") + "~stowage/"
}

// purgeMarkers removes the uploads whose markers under prefix are older
// than cutoff.
func (d *Driver) purgeMarkers(ctx context.Context, prefix string, cutoff time.Time) (int, error) {
	markers, err := d.conn.ObjectsAll(ctx, d.container, &ncw.ObjectsOpts{Prefix: prefix})
	if err != nil {
		return 0, err
	}
	legacy := prefix != d.layout.Uploads()
	n := 0
	for _, o := range markers {
		if !o.LastModified.Before(cutoff) {
			continue
		}
		var buf bytes.Buffer
		if _, err := d.conn.ObjectGet(ctx, d.container, o.Name, &buf, false, nil); err != nil {
			if isNotFound(err) {
				continue
			}
			return n, err
		}
		m, err := parseMarker(buf.Bytes())
		if err != nil {
			// Unreadable marker: remove it alone.
			if err := d.deleteObjects(ctx, d.container, []string{o.Name}); err != nil {
				return n, err
			}
			n++
			continue
		}
		if legacy {
			h := sha256.Sum256([]byte(m.Path))
			segs, err := d.listSegments(ctx, d.legacyPrefix()+"segments/"+hex.EncodeToString(h[:20])+"/"+m.ID+"/")
			if err == nil {
				err = d.deleteSegments(ctx, segs, nil)
			}
			if err == nil {
				err = d.deleteObjects(ctx, d.container, []string{o.Name})
			}
			if err != nil {
				return n, err
			}
		} else if err := d.discardUpload(ctx, m); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
