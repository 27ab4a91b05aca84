// Command stowage exercises and inspects storage the way a registry uses it.
//
//	stowage check                      run the conformance cases against the configured storage
//	stowage params [DRIVER]            print the parameter table of a driver
//	stowage config validate FILE       parse a registry config and print the effective parameters
//	stowage ls|stat|cat|put|rm|mv      work with paths
//	stowage purge --older-than 168h    remove abandoned uploads
//	stowage bench                      measure write and read throughput
//
// The storage comes from --config FILE (the reference registry's form or an
// operator's values form) and --set registry.storage.<...>=value keys; with
// neither it is the filesystem driver under --data-dir.
//
// Exit codes: 0 success, 1 a failed operation or check, 2 bad usage or
// configuration.
package main

import (
	"errors"
	"fmt"
	"os"
)

func main() {
	cmd := newRootCmd(os.Stdout, os.Stderr)
	if err := cmd.Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "stowage:", err)
		var ue usageError
		if errors.As(err, &ue) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}
