// Package conformance is the suite every stowage driver must pass, exported
// so that any driver, in this module or outside it, can run it:
//
//	func TestConformance(t *testing.T) {
//		conformance.Run(t, conformance.Harness{
//			Open: func(t conformance.TB, root string) driver.StorageDriver {
//				d, err := mydriver.New(ctx, mydriver.Params{RootDirectory: "/" + root})
//				if err != nil {
//					t.Fatalf("open: %v", err)
//				}
//				return d
//			},
//			ChunkSize: 5 << 20,
//			// Optional: a view of the store beneath the driver.
//			Inspector: &conformance.Inspector{
//				Keys:      func(t conformance.TB, root string) []string { ... },
//				PartSizes: func(t conformance.TB, root, path string) [][]int64 { ... },
//			},
//		})
//	}
//
// Each case is a named subtest and gets a driver rooted in a fresh prefix,
// which the suite empties afterwards; a case fails when List("/") still
// shows anything after that. The cases cover what a registry relies on,
// distribution's own driver suite included: paths, content, streams across
// the chunk size, offset reads, the writer's life cycle with Size right at
// every step (after Write, Close, Commit and Cancel, resumed, after a
// zero-length object), Stat, List, Move, Delete, redirect URLs, Walk,
// concurrency, and replays of a registry's blob upload (Registry/...:
// POST, PATCHes, final PUT, digest check and Move, for chunk patterns from
// 1 byte to 2.5 chunks, and across two driver instances).
//
// Harness.Inspector, when set, lets the Store/... cases look beneath the
// driver with the store's own client: Keys proves that Commit and Cancel
// leave no upload state behind, PartSizes that every part of a multipart
// upload but the last is exactly ChunkSize (S3-compatible stores such as
// Cloudflare R2 refuse others). A harness without it, or with PartSizes
// nil, gets those cases reported as not applicable.
//
// Stream/Large writes Harness.LargeSize bytes, or the size in
// STOWAGE_CONFORMANCE_LARGE (such as "256MiB", or "5GiB" for the 5 GiB
// stream of distribution's suite).
//
// Bench measures write, read, list and delete throughput the same way, and
// Check runs the cases outside go test (the "stowage check" command).
// Package emulator starts the servers the adapters are tested against.
package conformance
