package swift

import (
	"context"
	"errors"

	ncw "github.com/ncw/swift/v2"

	"github.com/stowage/stowage/driver"
)

// Delete implements driver.StorageDriver: the object at path and every
// object under path + "/", with the segments of those that are large
// objects. Objects go in bulk-delete requests where the cluster has bulk
// delete, one DELETE each otherwise.
func (d *swiftDriver) Delete(ctx context.Context, path string) error {
	key := d.key(path)
	var objs []ncw.Object
	first, err := d.conn.Objects(ctx, d.container, &ncw.ObjectsOpts{Prefix: key, Limit: 1})
	if err != nil {
		return mapErr(err, path)
	}
	if len(first) == 1 && first[0].Name == key {
		objs = append(objs, first[0])
	}
	under, err := d.conn.ObjectsAll(ctx, d.container, &ncw.ObjectsOpts{Prefix: key + "/"})
	if err != nil {
		return mapErr(err, path)
	}
	objs = append(objs, under...)
	if len(objs) == 0 {
		return driver.PathNotFoundError{Path: path}
	}

	names := make([]string, 0, len(objs))
	var segs []segment
	for _, o := range objs {
		names = append(names, o.Name)
		// Listings mark SLO manifests (slo_etag); a DLO manifest is an
		// empty object with an X-Object-Manifest header.
		var s []segment
		switch {
		case o.SLOHash != "":
			s, err = d.sloSegments(ctx, o.Name)
		case o.Bytes == 0 && !d.features.slo:
			_, _, _, s, err = d.inspect(ctx, o.Name)
		}
		if err != nil && !isNotFound(err) {
			return err
		}
		segs = append(segs, s...)
	}
	if err := d.deleteObjects(ctx, d.container, names); err != nil {
		return err
	}
	return d.deleteSegments(ctx, segs, nil)
}

// deleteObjects deletes names from container; names already gone are
// fine.
func (d *swiftDriver) deleteObjects(ctx context.Context, container string, names []string) error {
	if len(names) == 0 {
		return nil
	}
	if d.features.bulkDelete && len(names) > 1 {
		for start := 0; start < len(names); start += d.features.maxDeletes {
			chunk := names[start:min(start+d.features.maxDeletes, len(names))]
			res, err := d.conn.BulkDelete(ctx, container, chunk)
			if err != nil && !isNotFound(err) {
				return err
			}
			for name, e := range res.Errors {
				if e != nil && !isNotFound(e) {
					return errors.Join(errors.New("bulk delete of "+container+"/"+name+" failed"), e)
				}
			}
		}
		return nil
	}
	for _, n := range names {
		if err := d.conn.ObjectDelete(ctx, container, n); err != nil && !isNotFound(err) {
			return err
		}
	}
	return nil
}
