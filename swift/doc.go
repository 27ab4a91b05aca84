// Package swift is the stowage driver for OpenStack Swift, on
// github.com/ncw/swift/v2. It registers itself as "swift".
//
// # Parameters
//
//   - authurl (required): URL of the identity service: Keystone v2.0 or v3,
//     or a v1 auth endpoint such as tempauth's /auth/v1.0.
//   - username (required), password (required, secret): the credentials.
//   - container (required): the container that holds the data; created
//     when missing.
//   - region: the region whose object-store endpoint to take from the
//     identity service's catalog (v2 and v3); empty takes the first.
//   - tenant, tenantid: the tenant (project) name or ID (v2 and v3).
//   - domain, domainid: the user's domain (v3).
//   - tenantdomain, tenantdomainid: the tenant's domain when it differs
//     from the user's (v3).
//   - trustid: a trust to scope the token to (v3).
//   - insecureskipverify: skip TLS certificate verification.
//   - chunksize (default 20MiB, 1MiB to 5GiB): the size of the segments of
//     large objects, and of a writer's buffers.
//   - maxconcurrency (default 4, 1 to 100): the segments one writer
//     uploads in parallel; a writer holds at most maxconcurrency+1 buffers.
//   - prefix: a key prefix for every object, to share a container.
//   - secretkey (secret): the Temp-URL key redirect URLs are signed with;
//     installed as the account's key (or the container's, with
//     tempurlcontainerkey) unless it is one of them already.
//   - accesskey: HP Cloud style temporary URLs (tenantid:accesskey:hmac);
//     needs secretkey, which is then not installed.
//   - authversion (0, 1, 2 or 3): 0 detects it from authurl.
//   - endpointtype (public, internal or admin; default public).
//   - tempurlcontainerkey: sign with the container's Temp-URL key; without
//     secretkey the container's existing key is used.
//   - tempurlmethods (default GET,HEAD): the request methods RedirectURL
//     returns a URL for.
//
// # Layout in the container
//
// A path /a/b is the object "<prefix>/a/b". Uploads in progress and the
// segments of large objects are kept in the same container under the
// root's hidden areas (the layout of every stowage adapter): "~" is not a
// path character, so no path maps there, and listings of the root end
// before it. Keeping segments in the container lets container-scoped
// Temp-URL keys serve large objects, which Swift allows only within one
// container.
//
//	<prefix>/~uploads/<path>~marker            marker of the upload in progress
//	<prefix>/~segments/<path>~<id>/<n>         its segments
//
// Objects committed by earlier versions name segments under
// "<prefix>~stowage/segments/" in their manifests and keep working; their
// uploads in progress are not resumed and PurgeUploads removes them.
//
// # Writers
//
// A writer buffers chunksize bytes and stores each full buffer as a
// segment, up to maxconcurrency in flight while it fills the next (the
// buffers are pooled by the driver). Close stores what is buffered, waits
// for the segments and writes the marker, so that Writer(path, true), in
// this process or another, lists the segments and continues: segments 1 to
// n without a gap, deleting any stored after a gap by a writer that failed
// or died with segments in flight. Commit makes the object appear at once: data that never left
// the buffer is PUT directly (If-None-Match: * spares a HEAD when nothing is
// there), a single segment is copied server side, and more segments become a
// static large object manifest where /info advertises "slo" or a dynamic one
// otherwise. Cancel deletes the segments and the marker, once the segments
// in flight have landed. Appending to a committed object continues from
// it: an SLO's segments are referenced by the new manifest, a plain object
// of at least chunksize is copied in server side, a smaller one is read
// into the buffer (so it stays a plain object).
// A new writer sends no request: its marker is stored on condition that
// none is there (an older upload closed at the path is removed first when
// one is), and a new upload committed from the buffer is one PUT beside a
// lookup of such an older upload. A resumed writer reads the marker and
// lists the segments at the same time.
//
// Delete removes the objects with bulk delete where /info advertises
// "bulk_delete" (split over up to four concurrent requests), one DELETE each
// otherwise, and removes the segments of the large objects among them. Move copies a plain object server side, or
// writes a new manifest naming the same segments, and deletes the source;
// a large object it overwrites loses its segments (a registry's blob commit,
// a plain upload moved onto a path Stat has just found empty, skips the
// lookups this takes: see Driver.Move). RedirectURL returns a
// temporary URL valid 20 minutes, signed with HMAC-SHA256 (or the best digest
// in /info's tempurl allowed_digests), or "" without a key or tempurl.
// PurgeUploads removes uploads in progress older than a duration; Preflight
// checks each kind of request and, with a key, a temporary URL.
package swift
