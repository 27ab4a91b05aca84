package swift

import (
	"bytes"
	"context"
	"time"

	ncw "github.com/ncw/swift/v2"

	"github.com/stowage/stowage/driver"
)

var _ driver.UploadPurger = (*swiftDriver)(nil)

// PurgeUploads implements driver.UploadPurger: it removes the uploads in
// progress (marker and segments) whose marker is older than olderThan.
// Segments of committed objects are never touched.
func (d *swiftDriver) PurgeUploads(ctx context.Context, olderThan time.Duration) (int, error) {
	cutoff := time.Now().Add(-olderThan)
	markers, err := d.conn.ObjectsAll(ctx, d.container, &ncw.ObjectsOpts{Prefix: d.hidden + "uploads/"})
	if err != nil {
		return 0, err
	}
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
		if err := d.discardUpload(ctx, m); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
