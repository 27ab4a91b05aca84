// Command stowage exercises and inspects storage the way a registry uses it.
//
//	stowage check                      run the conformance cases against the configured storage
//	stowage params [NAME]              print the parameter table of a driver or storage middleware
//	stowage config validate FILE       parse a registry config and print the effective parameters
//	stowage ls|stat|cat|put|rm|mv      work with paths
//	stowage purge --older-than 168h    remove abandoned uploads
//	stowage bench                      measure write and read throughput
//
// The storage comes from --config FILE (the reference registry's form or an
// operator's values form), with --set keys merged onto it as Helm does and
// REGISTRY_STORAGE_* environment overrides applied last; with neither flag
// it is the filesystem driver under --data-dir.
//
// Exit codes: 0 success, 1 a failed operation or check, 2 bad usage or
// configuration, 130 interrupted (SIGINT or SIGTERM; what the command had
// written is removed first).
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		// After the first signal, a second one ends the process at once,
		// even while a command is removing what it wrote.
		<-ctx.Done()
		stop()
	}()
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
