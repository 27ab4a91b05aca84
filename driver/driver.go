package driver

import (
	"context"
	"io"
	"net/http"
	"time"
)

// StorageDriver is the contract every stowage adapter implements.
//
// All methods take paths as described in the package documentation. Drivers
// returned by Open are wrapped in Base, which validates paths and offsets
// before the adapter sees them.
type StorageDriver interface {
	// Name returns the driver's registered name, such as "s3".
	Name() string
	// GetContent returns the whole object at path.
	GetContent(ctx context.Context, path string) ([]byte, error)
	// PutContent stores content at path, replacing what was there.
	PutContent(ctx context.Context, path string, content []byte) error
	// Reader returns a stream of the object at path starting at offset.
	// An offset equal to the size gives an empty stream; a larger one or a
	// negative one is an InvalidOffsetError.
	Reader(ctx context.Context, path string, offset int64) (io.ReadCloser, error)
	// Writer starts (append=false) or resumes (append=true) an upload to path.
	Writer(ctx context.Context, path string, append bool) (FileWriter, error)
	// Stat describes the file or directory at path.
	Stat(ctx context.Context, path string) (FileInfo, error)
	// List returns the full paths of the direct children of path.
	List(ctx context.Context, path string) ([]string, error)
	// Move moves the object at sourcePath to destPath, replacing destPath.
	Move(ctx context.Context, sourcePath, destPath string) error
	// Delete removes the object at path and everything under path + "/".
	Delete(ctx context.Context, path string) error
	// RedirectURL returns a time-limited URL a plain HTTP client can GET or
	// HEAD to read path, or "" when the driver cannot or is told not to.
	RedirectURL(r *http.Request, path string) (string, error)
	// Walk calls f for every file and directory under path, in byte order of
	// the full paths.
	Walk(ctx context.Context, path string, f WalkFn, options ...func(*WalkOptions)) error
}

// FileWriter is an upload in progress. Close keeps the upload so that it can
// be resumed; Commit makes it visible at its path; Cancel removes it.
//
// Base enforces the life cycle for every adapter: Write only before Close,
// Commit or Cancel; Commit and Cancel at most once and not after Close;
// Close after Commit or Cancel returns nil without reaching the adapter, so
// an adapter's Commit and Cancel must release everything the writer holds.
type FileWriter interface {
	io.WriteCloser
	// Size is the number of bytes written so far, including bytes stored by
	// earlier writers of the same upload.
	Size() int64
	// Cancel abandons the upload and removes every trace of it.
	Cancel(context.Context) error
	// Commit makes the upload visible at its path, atomically.
	Commit(context.Context) error
}

// FileInfo describes a file or directory.
type FileInfo interface {
	Path() string
	// Size is the length in bytes of a file; 0 for a directory.
	Size() int64
	// ModTime is the last modification time of a file; the zero time may be
	// returned for directories.
	ModTime() time.Time
	IsDir() bool
}

// FileInfoFields holds the values of a FileInfo.
type FileInfoFields struct {
	Path    string
	Size    int64
	ModTime time.Time
	IsDir   bool
}

// FileInfoInternal is the FileInfo implementation drivers return.
type FileInfoInternal struct {
	FileInfoFields
}

var _ FileInfo = FileInfoInternal{}

// Path implements FileInfo.
func (fi FileInfoInternal) Path() string { return fi.FileInfoFields.Path }

// Size implements FileInfo.
func (fi FileInfoInternal) Size() int64 { return fi.FileInfoFields.Size }

// ModTime implements FileInfo.
func (fi FileInfoInternal) ModTime() time.Time { return fi.FileInfoFields.ModTime }

// IsDir implements FileInfo.
func (fi FileInfoInternal) IsDir() bool { return fi.FileInfoFields.IsDir }

// NewFileInfo returns a FileInfo for a file.
func NewFileInfo(path string, size int64, modTime time.Time) FileInfo {
	return FileInfoInternal{FileInfoFields{Path: path, Size: size, ModTime: modTime}}
}

// NewDirInfo returns a FileInfo for a directory.
func NewDirInfo(path string) FileInfo {
	return FileInfoInternal{FileInfoFields{Path: path, IsDir: true}}
}
