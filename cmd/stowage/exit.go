package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/stowage/stowage/driver"
)

// Exit codes, as the README documents them.
const (
	exitOK          = 0
	exitFailed      = 1
	exitUsage       = 2
	exitInterrupted = 130
)

// usageError marks errors in the command line or the configuration (exit 2).
type usageError struct{ error }

func (e usageError) Unwrap() error { return e.error }

// errInterrupted ends a command stopped by a signal, after its cleanup.
var errInterrupted = errors.New("interrupted")

// run executes the command line args and returns the exit code.
func run(ctx context.Context, args []string, in io.Reader, out, errOut io.Writer) int {
	o := &options{out: out, errOut: errOut}
	root := newRootCmd(o)
	root.SetArgs(args)
	root.SetIn(in)
	err := root.ExecuteContext(ctx)
	if cerr := o.close(); err == nil && cerr != nil {
		err = cerr
	}
	code := exitCode(ctx, err)
	if err != nil {
		fmt.Fprintln(errOut, "stowage:", err)
	}
	return code
}

func exitCode(ctx context.Context, err error) int {
	var (
		ue  usageError
		ipe driver.InvalidPathError
		ioe driver.InvalidOffsetError
	)
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, errInterrupted) || (ctx.Err() != nil && errors.Is(err, context.Canceled)):
		return exitInterrupted
	case errors.As(err, &ue), errors.As(err, &ipe), errors.As(err, &ioe):
		return exitUsage
	}
	return exitFailed
}

// usageArgs makes every argument-count error of c and its subcommands a
// usage error, and makes each command that only groups others refuse
// unknown subcommands (cobra's own check is an ordinary error, or no check
// at all below the root).
func usageArgs(c *cobra.Command) {
	switch {
	case c.HasSubCommands():
		c.Args = func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return nil
			}
			msg := fmt.Sprintf("unknown command %q for %q", args[0], cmd.CommandPath())
			if cmd.SuggestionsMinimumDistance <= 0 {
				cmd.SuggestionsMinimumDistance = 2
			}
			if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
				msg += "; did you mean " + strings.Join(s, " or ") + "?"
			}
			return usageError{errors.New(msg + " (see " + cmd.CommandPath() + " --help)")}
		}
		if c.RunE == nil && c.Run == nil {
			c.RunE = func(cmd *cobra.Command, _ []string) error { return cmd.Help() }
		}
	case c.Args != nil:
		check := c.Args
		c.Args = func(cmd *cobra.Command, args []string) error {
			if err := check(cmd, args); err != nil {
				return usageError{fmt.Errorf("%s: %w (usage: %s)", cmd.CommandPath(), err, cmd.UseLine())}
			}
			return nil
		}
	}
	for _, sub := range c.Commands() {
		usageArgs(sub)
	}
}
