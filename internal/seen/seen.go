// Package seen remembers the size and entity tag of the objects a driver
// stored or looked up lately, so that a Move can copy its source on
// condition that it is still that object (S3's
// x-amz-copy-source-if-match, OSS's x-oss-copy-source-if-match) instead
// of looking it up first: one round trip less where a registry moves what
// it has just committed and checked (a blob upload's Commit, Stat, Move).
//
// What is remembered is never trusted: the condition makes a copy of a
// replaced object fail (412), and a copy of a deleted one find nothing
// (404), and the caller then does what it does without this package. Used
// by s3, oss and swift.
//
// Absences (absent.go) remember the keys a driver lately found empty, for
// a Move that must know whether it replaces a large object (swift) and
// has no condition to make the store tell it.
package seen

import (
	lru "github.com/hashicorp/golang-lru/v2"
)

// Object is what is remembered of an object.
type Object struct {
	Size int64
	ETag string // as the store returned it, quotes included
}

// Objects remembers, for at most a fixed number of keys, the last Object
// seen at each; the least recently used key is forgotten first. Its
// methods are safe for concurrent use.
type Objects struct {
	c *lru.Cache[string, Object]
}

// Capacity is how many keys a driver remembers: a few hundred bytes each,
// about 1 MiB in all.
const Capacity = 4096

// New returns an Objects that remembers up to n keys (n ≥ 1).
func New(n int) *Objects {
	c, err := lru.New[string, Object](max(n, 1))
	if err != nil {
		panic(err) // only for n < 1
	}
	return &Objects{c: c}
}

// Saw records that the object at key has size bytes and entity tag etag.
// An empty etag forgets key instead: there is nothing to copy on
// condition of.
func (o *Objects) Saw(key string, size int64, etag string) {
	if etag == "" {
		o.c.Remove(key)
		return
	}
	o.c.Add(key, Object{Size: size, ETag: etag})
}

// Get returns what was last seen at key.
func (o *Objects) Get(key string) (Object, bool) { return o.c.Get(key) }

// Forget forgets key (after a Move or a Delete of it).
func (o *Objects) Forget(key string) { o.c.Remove(key) }
