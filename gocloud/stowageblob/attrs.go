package stowageblob

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"gocloud.dev/blob/driver"

	stowage "github.com/stowage/stowage/driver"
)

// defaultContentType is the type of a blob written without attributes,
// such as a registry's own data.
const defaultContentType = "application/octet-stream"

// attrs are the attributes of a blob that a stowage driver does not keep:
// stored, as JSON, in a small object of the reserved tree (see attrsPath).
// Size is the size of the blob they were written with: attributes whose
// size differs belong to an older blob, overwritten by other means, and
// are ignored.
type attrs struct {
	Size               int64             `json:"size"`
	ContentType        string            `json:"contentType,omitempty"`
	CacheControl       string            `json:"cacheControl,omitempty"`
	ContentDisposition string            `json:"contentDisposition,omitempty"`
	ContentEncoding    string            `json:"contentEncoding,omitempty"`
	ContentLanguage    string            `json:"contentLanguage,omitempty"`
	Metadata           map[string]string `json:"metadata,omitempty"`
	MD5                []byte            `json:"md5,omitempty"`
}

// attrsPath returns the path of the attributes of the blob at path: one
// object per blob, named by a hash of its path, so that no attributes
// object is ever a directory of others (stowage's Delete is recursive).
func attrsPath(path string) string {
	h := sha256.Sum256([]byte(path))
	s := hex.EncodeToString(h[:])
	return "/" + reserved + "/attrs/" + s[:2] + "/" + s[2:]
}

// readAttrs returns the stored attributes of the blob at path, of size
// bytes, or none (a blob written by other means, or since).
func readAttrs(ctx context.Context, d stowage.StorageDriver, path string, size int64) (*attrs, error) {
	data, err := d.GetContent(ctx, attrsPath(path))
	if stowage.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return parseAttrs(data, size), nil
}

// parseAttrs decodes stored attributes (none for no data) of a blob of
// size bytes; attributes of another size, or unreadable, are none.
func parseAttrs(data []byte, size int64) *attrs {
	if data == nil {
		return nil
	}
	var a attrs
	if err := json.Unmarshal(data, &a); err != nil || a.Size != size {
		return nil
	}
	return &a
}

func writeAttrs(ctx context.Context, d stowage.StorageDriver, path string, a *attrs) error {
	data, err := json.Marshal(a)
	if err != nil {
		return err
	}
	return d.PutContent(ctx, attrsPath(path), data)
}

// deleteAttrs deletes the attributes of the blob at path, if any.
func deleteAttrs(ctx context.Context, d stowage.StorageDriver, path string) error {
	if err := d.Delete(ctx, attrsPath(path)); err != nil && !stowage.IsNotFound(err) {
		return err
	}
	return nil
}

// driverAttributes combines what Stat says of a blob with its stored
// attributes (nil for none).
func driverAttributes(fi stowage.FileInfo, a *attrs) *driver.Attributes {
	out := &driver.Attributes{
		ContentType: defaultContentType,
		ModTime:     fi.ModTime(),
		Size:        fi.Size(),
		ETag:        fmt.Sprintf(`W/"%x-%x"`, fi.Size(), fi.ModTime().UnixNano()),
	}
	if a == nil {
		return out
	}
	if a.ContentType != "" {
		out.ContentType = a.ContentType
	}
	out.CacheControl = a.CacheControl
	out.ContentDisposition = a.ContentDisposition
	out.ContentEncoding = a.ContentEncoding
	out.ContentLanguage = a.ContentLanguage
	out.Metadata = a.Metadata
	if len(a.MD5) > 0 {
		out.MD5 = a.MD5
		out.ETag = fmt.Sprintf(`"%x"`, a.MD5)
	}
	return out
}
