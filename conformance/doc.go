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
//		})
//	}
//
// Each case is a named subtest and gets a driver rooted in a fresh prefix,
// which the suite empties afterwards. Bench measures write, read, list and
// delete throughput the same way, and Check runs the cases outside go test
// (the "stowage check" command). Package emulator starts the servers the
// adapters are tested against.
package conformance
