package swift

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	ncw "github.com/ncw/swift/v2"
)

// Uploads in progress and the segments of large objects live under the
// root, in the hidden areas of internal/layout:
//
//	<root>/~uploads/<path>~marker             marker of the upload in progress
//	                                          at path (JSON: path, id, base
//	                                          segments)
//	<root>/~segments/<path>~<id>/<%08d>       the segments of upload id
//
// A committed large object is a manifest in the container that names its
// segments; they stay where they were written and are deleted with it.
// Objects committed by stowage before this layout name segments under
// "<prefix>~stowage/segments/": their manifests still do, so they read and
// delete as before; uploads in progress in that layout are not resumed and
// are removed by PurgeUploads (see legacyPrefix).

// segment is one part of a large object.
type segment struct {
	Container string `json:"container"`
	Name      string `json:"name"`
	Etag      string `json:"etag"`
	Size      int64  `json:"size"`
}

// marker is the JSON stored at the marker object.
type marker struct {
	Path string `json:"path"`
	ID   string `json:"id"`
	// Base holds the segments of the committed object an appending upload
	// continues (they are not under the upload's own prefix).
	Base []segment `json:"base,omitempty"`
}

func newUploadID() string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return fmt.Sprintf("%016x%s", time.Now().UnixNano(), hex.EncodeToString(b[:]))
}

// segmentsDir is the name of the directory, inside the root, that holds
// the segments of large objects.
const segmentsDir = "~segments"

func (d *Driver) markerName(path string) string { return d.layout.Upload(path) + "marker" }

func (d *Driver) uploadPrefix(path, id string) string {
	return d.layout.Root() + segmentsDir + "/" + strings.TrimPrefix(path, "/") + "~" + id + "/"
}

// call runs a request against the storage URL, for what the SDK has no
// method for (manifest queries).
func (d *Driver) call(ctx context.Context, p ncw.RequestOpts) (*http.Response, ncw.Headers, error) {
	u, err := d.conn.GetStorageUrl(ctx)
	if err != nil {
		return nil, nil, err
	}
	p.OnReAuth = func() (string, error) { return d.conn.StorageUrl, nil }
	if p.ErrorMap == nil {
		p.ErrorMap = map[int]error{404: ncw.ObjectNotFound, 401: ncw.AuthorizationFailed, 403: ncw.Forbidden}
	}
	return d.conn.Call(ctx, u, p)
}

// readMarker returns the upload in progress at path, or nil.
func (d *Driver) readMarker(ctx context.Context, path string) (*marker, error) {
	var buf bytes.Buffer
	_, err := d.conn.ObjectGet(ctx, d.segContainer, d.markerName(path), &buf, false, nil)
	if isNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	m, err := parseMarker(buf.Bytes())
	if err != nil {
		return nil, fmt.Errorf("upload marker %s/%s: %w", d.container, d.markerName(path), err)
	}
	return m, nil
}

func parseMarker(b []byte) (*marker, error) {
	var m marker
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("corrupt upload marker: %w", err)
	}
	if m.ID == "" || m.Path == "" {
		return nil, fmt.Errorf("corrupt upload marker: no path or id")
	}
	return &m, nil
}

func (d *Driver) writeMarker(ctx context.Context, m *marker) error {
	b, _ := json.Marshal(m)
	_, err := d.conn.ObjectPut(ctx, d.segContainer, d.markerName(m.Path), bytes.NewReader(b), false, "", "application/json",
		ncw.Headers{"Content-Length": strconv.Itoa(len(b))})
	return err
}

func (d *Driver) deleteMarker(ctx context.Context, path string) error {
	err := d.conn.ObjectDelete(ctx, d.segContainer, d.markerName(path))
	if isNotFound(err) {
		return nil
	}
	return err
}

// listSegments returns the segments stored under prefix, in order.
func (d *Driver) listSegments(ctx context.Context, prefix string) ([]segment, error) {
	objs, err := d.conn.ObjectsAll(ctx, d.segContainer, &ncw.ObjectsOpts{Prefix: prefix})
	if err != nil {
		return nil, err
	}
	segs := make([]segment, 0, len(objs))
	for _, o := range objs {
		segs = append(segs, segment{Container: d.segContainer, Name: o.Name, Etag: o.Hash, Size: o.Bytes})
	}
	return segs, nil
}

// manifestOf describes the object at key: its segments when it is a
// manifest (SLO or DLO), and whether it is one.
type objectKind int

const (
	plainObject objectKind = iota
	sloObject
	dloObject
)

// inspect returns what the object at key is and its segments, or a
// not-found error.
func (d *Driver) inspect(ctx context.Context, key string) (ncw.Object, ncw.Headers, objectKind, []segment, error) {
	info, h, err := d.conn.Object(ctx, d.container, key)
	if err != nil {
		return info, h, plainObject, nil, err
	}
	switch kind := kindOf(h); kind {
	case sloObject:
		segs, err := d.sloSegments(ctx, key)
		return info, h, kind, segs, err
	case dloObject:
		segs, err := d.dloSegments(ctx, h["X-Object-Manifest"])
		return info, h, kind, segs, err
	}
	return info, h, plainObject, nil, nil
}

// kindOf tells from an object's headers what it is.
func kindOf(h ncw.Headers) objectKind {
	switch {
	case strings.EqualFold(h["X-Static-Large-Object"], "true"):
		return sloObject
	case h["X-Object-Manifest"] != "":
		return dloObject
	}
	return plainObject
}

// sloSegments reads the manifest of the SLO at key.
func (d *Driver) sloSegments(ctx context.Context, key string) ([]segment, error) {
	resp, _, err := d.call(ctx, ncw.RequestOpts{
		Container: d.container, ObjectName: key, Operation: "GET",
		Parameters: url.Values{"multipart-manifest": {"get"}},
	})
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var entries []struct {
		Name  string `json:"name"`
		Hash  string `json:"hash"`
		Bytes int64  `json:"bytes"`
	}
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(body, &entries); err != nil {
		return nil, fmt.Errorf("manifest of %s: %w", key, err)
	}
	segs := make([]segment, 0, len(entries))
	for _, e := range entries {
		c, name, ok := strings.Cut(strings.TrimPrefix(e.Name, "/"), "/")
		if !ok {
			return nil, fmt.Errorf("manifest of %s: bad segment name %q", key, e.Name)
		}
		segs = append(segs, segment{Container: c, Name: name, Etag: e.Hash, Size: e.Bytes})
	}
	return segs, nil
}

// dloSegments lists the segments a DLO manifest value container/prefix
// names.
func (d *Driver) dloSegments(ctx context.Context, manifest string) ([]segment, error) {
	c, prefix, _ := strings.Cut(manifest, "/")
	c, _ = url.PathUnescape(c)
	prefix, _ = url.PathUnescape(prefix)
	objs, err := d.conn.ObjectsAll(ctx, c, &ncw.ObjectsOpts{Prefix: prefix})
	if err != nil {
		return nil, err
	}
	segs := make([]segment, 0, len(objs))
	for _, o := range objs {
		segs = append(segs, segment{Container: c, Name: o.Name, Etag: o.Hash, Size: o.Bytes})
	}
	return segs, nil
}

// putSLO writes the static large object manifest of segs at key.
func (d *Driver) putSLO(ctx context.Context, key string, segs []segment) error {
	type entry struct {
		Path      string `json:"path"`
		Etag      string `json:"etag,omitempty"`
		SizeBytes int64  `json:"size_bytes"`
	}
	entries := make([]entry, len(segs))
	for i, s := range segs {
		entries[i] = entry{Path: "/" + s.Container + "/" + s.Name, Etag: s.Etag, SizeBytes: s.Size}
	}
	body, _ := json.Marshal(entries)
	_, _, err := d.call(ctx, ncw.RequestOpts{
		Container: d.container, ObjectName: key, Operation: "PUT",
		Parameters: url.Values{"multipart-manifest": {"put"}},
		Headers:    ncw.Headers{"Content-Length": strconv.Itoa(len(body)), "Content-Type": contentType},
		Body:       bytes.NewReader(body),
		NoResponse: true,
	})
	return err
}

// putDLO writes a dynamic large object manifest at key for the segments
// under prefix in the segments container.
func (d *Driver) putDLO(ctx context.Context, key, prefix string) error {
	_, err := d.conn.ObjectPut(ctx, d.container, key, bytes.NewReader(nil), false, "", contentType,
		ncw.Headers{"Content-Length": "0", "X-Object-Manifest": url.PathEscape(d.segContainer) + "/" + prefix})
	return err
}

// deleteSegments removes segments, ignoring those already gone, and keeps
// those named in keep.
func (d *Driver) deleteSegments(ctx context.Context, segs []segment, keep []segment) error {
	kept := make(map[segment]bool, len(keep))
	for _, s := range keep {
		kept[segment{Container: s.Container, Name: s.Name}] = true
	}
	byContainer := map[string][]string{}
	for _, s := range segs {
		if !kept[segment{Container: s.Container, Name: s.Name}] {
			byContainer[s.Container] = append(byContainer[s.Container], s.Name)
		}
	}
	for c, names := range byContainer {
		if err := d.deleteObjects(ctx, c, names); err != nil {
			return err
		}
	}
	return nil
}
