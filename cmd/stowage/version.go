package main

import (
	"runtime"
	"runtime/debug"
)

// version is the module version the binary was built from, as the go
// command stamps it (a tag, or a pseudo-version from the commit, +dirty for
// uncommitted changes), or "devel" when it has none.
func version() string {
	v := "devel"
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		v = bi.Main.Version
	}
	return v + " (" + runtime.Version() + ", " + runtime.GOOS + "/" + runtime.GOARCH + ")"
}
