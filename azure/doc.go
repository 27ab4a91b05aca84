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
// A writer stages 4 MiB blocks, maxconcurrency at a time, on a hidden
// block blob under the root's ~uploads,
// "<rootdirectory>/~uploads/<path>~blocks" (internal/layout), which Stat,
// List and Walk never show. An upload that is committed before it fills a
// block and has staged none (a new writer, or a registry's monolithic
// upload resumed over an empty one) is stored with one Put Blob. Close commits the
// block list to that blob, so the upload survives (Azure discards blocks
// left uncommitted for 7 days, committed ones stay) and a writer in another
// process resumes it from the committed block list. Commit copies the blob
// server-side to its path (one Copy Blob, atomic) and deletes it; Cancel
// deletes it. A block blob holds at most 50,000 blocks: an upload can reach
// 195 GiB in full blocks, less when many Close calls leave short blocks.
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
