// Package gcs is the stowage storage driver for Google Cloud Storage, built
// on cloud.google.com/go/storage. Importing it registers the driver as
// "gcs".
//
// # Parameters
//
//   - bucket (required): name of the bucket that holds the data.
//   - credentials: the contents of a service account key file (JSON), given
//     as a string or as a YAML map. Secret. Exclusive with keyfile.
//   - keyfile: path to a service account key file. Exclusive with
//     credentials.
//   - rootdirectory: prefix applied to every object key.
//   - chunksize (default 16MiB): size of the parts of an upload (and of
//     each request of a resumable upload); a multiple of 256 KiB, from
//     256KiB to 5GiB.
//   - uploadconcurrency (default 4): parts one writer uploads in parallel;
//     1 streams each session into one part.
//   - useragent: User-Agent header sent with every request.
//   - maxconcurrency (default 50): largest number of parallel requests when
//     deleting a directory or clearing an upload.
//   - endpoint: JSON API endpoint for emulators and private endpoints, such
//     as http://127.0.0.1:4443/storage/v1/.
//   - anonymous (default false): send no credentials (emulators, public
//     buckets). Exclusive with credentials and keyfile.
//
// Without credentials, keyfile or anonymous, the driver uses Application
// Default Credentials (GOOGLE_APPLICATION_CREDENTIALS, gcloud's user
// credentials, or the metadata server, as with workload identity).
//
// # Uploads
//
// Writers are those of internal/objparts, the engine gcs shares with the
// gocloud adapter: a parallel composite upload. Each full chunksize buffer
// is a hidden part object stored with one request (with its CRC32C, which
// GCS checks before storing), uploadconcurrency parts in flight while the
// writer fills the next buffer (with uploadconcurrency 1, each session is
// streamed into one part with a resumable upload instead). Part objects
// live under the root's ~uploads ("<rootdirectory>/~uploads/<path>~part-000001",
// the key layout of every stowage adapter), which Stat, List and Walk do
// not show. Close stores what is buffered as a part; a writer in another
// process resumes with Writer(path, true), its Size being the sum of the
// parts, numbered without a gap (parts after a gap, left by a writer that
// failed with parts in flight, are deleted).
// Commit composes the parts into the object in one atomic compose request
// (groups of 32 go through intermediate composites), then deletes them;
// Cancel deletes them. An upload committed in one session before it fills a
// chunk is one upload request. PurgeUploads removes uploads whose newest
// part is older than a given age, including those of stowage versions
// before the shared layout ("<rootdirectory>.uploads/", not resumed).
//
// # Redirects
//
// With a service account key (credentials or keyfile), RedirectURL returns
// a V4 signed URL valid for 20 minutes for GET and HEAD requests; otherwise
// it returns "" and the registry serves the content itself.
package gcs
