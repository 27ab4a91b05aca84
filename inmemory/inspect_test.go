package inmemory_test

import (
	"github.com/stowage/stowage/conformance"
)

// inspector shows the conformance suite what the store of a root holds
// (Store.Keys), with the root in front of each name as the suite expects.
// The store has no multipart uploads: PartSizes stays nil.
func inspector(s *stores) *conformance.Inspector {
	return &conformance.Inspector{
		Keys: func(t conformance.TB, root string) []string {
			var keys []string
			for _, k := range s.get(root).Keys() {
				keys = append(keys, root+k)
			}
			return keys
		},
	}
}
