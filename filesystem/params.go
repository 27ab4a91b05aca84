package filesystem

import "github.com/stowage/stowage/configmap"

// Params are the filesystem driver's parameters.
type Params struct {
	configmap.Defaulted

	RootDirectory string `param:"rootdirectory" default:"/var/lib/registry" desc:"Directory that holds the data; created if missing."`
	MaxThreads    int    `param:"maxthreads" default:"100" min:"25" desc:"Bound on concurrent blocking filesystem calls."`
}
