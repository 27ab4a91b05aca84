// Package bench compares stowage's adapters with distribution's own
// storage drivers (the reference: s3-aws, filesystem, gcs, azure) and with
// the providers' SDKs used directly, in one process, on the same
// emulators (MinIO, fake-gcs-server, Azurite, OpenStack Swift, osstest),
// the contenders taking turns round after round, with an optional latency
// added to every request by a delaying TCP proxy (Proxy).
//
// BenchmarkCompare runs it and prints, per provider and latency, the
// median of each round's ratio of durations (other / stowage: above 1
// stowage was faster), beside an A/A control: stowage against itself,
// which shows how far identical code lands apart on the machine.
//
//	go test ./bench -run '^$' -bench Compare -benchtime 1x -timeout 3h -compare.out results.jsonl
//	go run ./cmd/perfplot -o ../docs/performance.png results.jsonl
//
// docs/performance.md has the figures and every flag.
package bench
