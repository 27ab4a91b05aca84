package inmemory

import "slices"

// Keys lists, sorted, everything the store holds: the path of every object,
// and "~uploads" followed by the path for every upload in progress (a name
// no valid path has). It is for tests that look beneath the driver, such as
// the conformance suite's Inspector.
func (s *Store) Keys() []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	keys := make([]string, 0, len(s.objects)+len(s.uploads))
	for k := range s.objects {
		keys = append(keys, k)
	}
	for k := range s.uploads {
		keys = append(keys, "~uploads"+k)
	}
	slices.Sort(keys)
	return keys
}
