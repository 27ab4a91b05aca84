package swift

import (
	"context"
	"errors"
	"iter"

	ncw "github.com/ncw/swift/v2"

	"github.com/stowage/stowage/driver"
)

var errStopListing = errors.New("stop listing")

// Walk implements driver.StorageDriver with one flat container listing
// starting after the hint, given to driver.WalkFiles.
func (d *Driver) Walk(ctx context.Context, path string, f driver.WalkFn, options ...func(*driver.WalkOptions)) error {
	opts := driver.ApplyWalkOptions(options...)
	prefix := d.dirPrefix(path)
	marker := ""
	if h := opts.StartAfterHint; len(h) > 1 && h[0] == '/' {
		if m := d.key(h); m > prefix {
			marker = m
		}
	}
	var files iter.Seq2[driver.FileInfo, error] = func(yield func(driver.FileInfo, error) bool) {
		err := d.conn.ObjectsWalk(ctx, d.container, &ncw.ObjectsOpts{Prefix: prefix, Marker: marker, EndMarker: d.endMarker(prefix), KeepMarker: true},
			func(ctx context.Context, o *ncw.ObjectsOpts) (any, error) {
				objs, err := d.conn.Objects(ctx, d.container, o)
				if err != nil {
					return nil, err
				}
				for _, ob := range objs {
					p, ok := d.layout.Path(ob.Name)
					if !ok {
						continue // upload state, or not a name this driver writes
					}
					if !yield(driver.NewFileInfo(p, ob.Bytes, ob.LastModified), nil) {
						return nil, errStopListing
					}
				}
				return objs, nil
			})
		if err != nil && !errors.Is(err, errStopListing) {
			yield(nil, fail(path, err))
		}
	}
	return driver.WalkFiles(ctx, path, files, f, opts)
}
