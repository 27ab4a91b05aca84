package driver

import (
	"errors"
	"io"
)

// Close releases what every layer of the driver chain d holds (connections,
// background refreshes): it calls Close on d and on every driver d wraps
// (found through Unwrap) that implements io.Closer, outermost first, and
// returns their errors joined. A layer's Close releases that layer only;
// Close is how a program closes a driver it opened, whatever the chain.
func Close(d StorageDriver) error {
	return closeUntil(d, nil)
}

// closeUntil closes the layers from d down to, not including, stop.
func closeUntil(d, stop StorageDriver) error {
	var errs []error
	for d != nil && d != stop {
		if c, ok := d.(io.Closer); ok {
			errs = append(errs, c.Close())
		}
		u, ok := d.(Unwrapper)
		if !ok {
			break
		}
		d = u.Unwrap()
	}
	return errors.Join(errs...)
}
