package seen

import (
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
)

// AbsentFor is how long an absence is believed: long enough to cover a
// registry's blob commit (Stat of the digest's path, Stat of the upload,
// Move), short enough that a path another process fills is soon looked
// up again.
const AbsentFor = 2 * time.Second

// Absences remembers, for at most a fixed number of keys, when each was
// last found to hold no object. Unlike an Object, an absence cannot be
// checked by the store on a later request where a driver needs it (Swift
// applies every conditional header of a copy to its source), so it is
// believed for AbsentFor only, and a driver forgets a key as soon as it
// writes there itself. Its methods are safe for concurrent use.
type Absences struct {
	c   *lru.Cache[string, time.Time]
	now func() time.Time
}

// NewAbsences returns an Absences that remembers up to n keys (n ≥ 1).
func NewAbsences(n int) *Absences {
	c, err := lru.New[string, time.Time](max(n, 1))
	if err != nil {
		panic(err) // only for n < 1
	}
	return &Absences{c: c, now: time.Now}
}

// Saw records that key held no object just now.
func (a *Absences) Saw(key string) { a.c.Add(key, a.now()) }

// Recent reports whether key was found to hold no object less than
// AbsentFor ago, and nothing has been written there through the driver
// since.
func (a *Absences) Recent(key string) bool {
	t, ok := a.c.Get(key)
	if !ok {
		return false
	}
	if a.now().Sub(t) >= AbsentFor {
		a.c.Remove(key)
		return false
	}
	return true
}

// Forget forgets key (the driver is writing there).
func (a *Absences) Forget(key string) { a.c.Remove(key) }
