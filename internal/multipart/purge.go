package multipart

import (
	"bufio"
	"context"
	"time"
)

// Purge removes the uploads under the root started or last closed before
// cutoff: multipart uploads the store lists (aborted), and state objects
// (their upload aborted, the state deleted). Anything else under the
// layout's upload directory that is as old and is not a state object
// (scratch objects, state of an older layout) is deleted too. It returns
// how many uploads it removed.
func (e *Engine) Purge(ctx context.Context, cutoff time.Time) (int, error) {
	n := 0
	aborted := map[string]bool{}
	for u, err := range e.store.Uploads(ctx, e.layout.Root()) {
		if err != nil {
			return n, e.fail("/", err)
		}
		if !u.Initiated.Before(cutoff) {
			continue
		}
		if err := e.store.Abort(ctx, u.Key, u.ID); err != nil && !e.store.NotFound(err) {
			return n, e.fail("/", err)
		}
		aborted[u.ID] = true
		n++
	}
	// States: on servers that list the uploads of one exact key only
	// (MinIO), the listing above misses them.
	for o, err := range e.store.List(ctx, e.layout.Uploads()) {
		if err != nil {
			return n, e.fail("/", err)
		}
		if !o.Modified.Before(cutoff) {
			continue
		}
		path, name, ok := e.layout.UploadPath(o.Key)
		if ok && name == stateName {
			id, err := e.stateUpload(ctx, o.Key)
			if err != nil && !e.store.NotFound(err) {
				return n, e.fail(path, err)
			}
			switch {
			case id == "":
				n++ // a closed upload that never filled a part
			case !aborted[id]:
				if err := e.store.Abort(ctx, e.layout.Key(path), id); err != nil && !e.store.NotFound(err) {
					return n, e.fail(path, err)
				}
				aborted[id] = true
				n++
			}
		}
		if err := e.store.Delete(ctx, o.Key); err != nil {
			return n, e.fail("/", err)
		}
	}
	return n, nil
}

// stateUpload returns the multipart upload ID a state object records ("" for
// none, or for an object that is not a readable state).
func (e *Engine) stateUpload(ctx context.Context, key string) (string, error) {
	rc, err := e.store.Get(ctx, key, 0)
	if err != nil {
		return "", err
	}
	defer rc.Close()
	s, err := readState(bufio.NewReaderSize(rc, 4096))
	if err != nil {
		return "", nil // not a state: nothing to abort
	}
	return s.uploadID, nil
}
