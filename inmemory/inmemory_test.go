package inmemory_test

import (
	"testing"

	"github.com/stowage/stowage/conformance"
)

func BenchmarkInmemory(b *testing.B) { conformance.Bench(b, harness()) }
