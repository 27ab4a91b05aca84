// Package azure is the stowage storage driver for Azure Blob Storage, built
// on the Azure SDK for Go (azblob and azidentity). Importing it registers the
// driver as "azure".
//
// # Parameters
//
//   - accountname (required): name of the storage account.
//   - accountkey: primary or secondary account key, for shared key
//     authentication. Secret.
//   - container (required): name of the container that holds the data.
//   - realm (default core.windows.net): domain suffix of the endpoint, such
//     as core.chinacloudapi.cn or core.usgovcloudapi.net.
//   - credentials: a section choosing the authentication:
//   - credentials.type: shared_key (uses accountkey), client_secret (an
//     Entra ID application: credentials.tenantid, credentials.clientid,
//     credentials.secret) or default_credentials (environment variables,
//     workload identity, managed identity, Azure CLI). Default: shared_key
//     when accountkey is set, default_credentials otherwise.
//   - serviceurl: blob service URL; default https://<accountname>.blob.<realm>/.
//     Set it for Azurite (http://127.0.0.1:10000/devstoreaccount1) or
//     private endpoints.
//   - rootdirectory: prefix applied to every blob name.
//   - maxretries (default 5): retries of a failed request (0 for none).
//   - retrydelay (default 100ms): delay before the first retry; later ones
//     back off exponentially.
//   - skipverify (default false): do not verify the server's TLS
//     certificate (test servers only).
//   - maxconcurrency (default 4): parallel block uploads of one writer
//     (memory: (maxconcurrency+1) x 4 MiB).
//
// # Uploads
//
// A writer stages 4 MiB blocks, maxconcurrency at a time, on the blob at
// its path. Staged blocks are uncommitted: the path shows what it held
// before (Stat, List and Walk never see an upload in progress) until Commit
// commits the block list on it, one Put Block List, with no copy. Close
// stores the upload's state (its block IDs and size) in a hidden blob,
// "<rootdirectory>/~uploads/<path>~blocks" (internal/layout), from which a
// writer in another process resumes it. An upload that is committed before
// it fills a block and has staged none (a new writer, or a registry's
// monolithic upload resumed over an empty one) is stored with one Put
// Blob. Cancel deletes the state and, on condition that it has no
// committed content, the blob at the path with its staged blocks (where the
// service deletes a blob holding only those; otherwise they go within a
// week), once the blocks in flight have been staged: a block in flight when
// the writer's context ends is finished, not abandoned, for up to a minute
// (nothing new starts), since one the service received whole may be staged
// after the client gave up on it. Azure discards uncommitted blocks after a
// week without writes to the blob, and when a block list is committed on
// it: such an upload cannot be committed
// (Commit says so). A block blob holds at most 50,000 blocks: an upload can
// reach 195 GiB in full blocks, less when many Close calls leave short
// blocks. Uploads closed by older stowage versions, whose blocks are
// committed in the hidden blob, resume and commit as they were written, as
// does an upload over an append blob: its blocks go to the hidden blob,
// copied over the path at Commit.
// PurgeUploads removes uploads last written before a given age, including
// those of stowage versions before the shared layout, which kept them
// beside the root ("<rootdirectory>.uploads/"); those are not resumed.
//
// # Other operations
//
// Move is a server-side Copy Blob, waited for, then a delete. Delete of a
// directory lists it once and deletes in blob batch requests of 256. Walk
// lists the directory flat (the List Blobs marker is opaque, so the
// listing cannot start at the hint; entries up to the hint are skipped).
// RedirectURL returns a read-only SAS URL valid for 20 minutes, signed with
// the account key or, with token credentials, a user delegation key.
package azure
