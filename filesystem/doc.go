// Package filesystem is the stowage driver for a local directory, and the
// default when nothing is configured.
//
// Parameters:
//
//	rootdirectory  directory that holds the data (default /var/lib/registry)
//	maxthreads     bound on concurrent blocking filesystem calls (default 100, at least 25)
//
// Uploads in progress are kept under rootdirectory/~uploads, a name no valid
// path can take, so Stat, List and Walk never show them; the directory is
// removed by Close when no upload is left in it. Commit renames the upload
// into place, so a reader sees the whole object or nothing; PutContent and
// Commit fsync the file and the directory it lands in before they return.
// A writer closed without Commit is resumed by Writer(path, true) from any
// process that shares the directory. RedirectURL always returns "".
package filesystem
