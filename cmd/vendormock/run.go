package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/spf13/pflag"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// exitError carries a process exit code (2 for usage errors) up to main.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

func usageError(format string, args ...any) error {
	return &exitError{code: 2, err: fmt.Errorf(format, args...)}
}

type command struct {
	name, summary string
	run           func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

func commands() []command {
	return []command{
		{"serve", "serve the vendor descriptions as a mock server", runServe},
		{"lint", "load descriptions and sidecars and report every problem", runLint},
		{"contract", "check a real sandbox against a description and report drift", runContract},
		{"version", "print the version", runVersion},
	}
}

const topUsage = `vendormock — mock and contract-testing server for practice-management vendor APIs

Usage:
  vendormock <command> [flags]

Commands:
%s
Run 'vendormock <command> --help' for the flags of a command.
`

// run dispatches a subcommand; only run and its helpers touch flags and exit codes.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var list strings.Builder
	for _, c := range commands() {
		fmt.Fprintf(&list, "  %-9s %s\n", c.name, c.summary)
	}
	if len(args) == 0 {
		fmt.Fprintf(stderr, topUsage, list.String())
		return &exitError{code: 2}
	}
	switch args[0] {
	case "-h", "--help", "help":
		fmt.Fprintf(stdout, topUsage, list.String())
		return nil
	case "-v", "--version":
		return runVersion(ctx, nil, stdout, stderr)
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(ctx, args[1:], stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, topUsage, list.String())
	return usageError("unknown command %q", args[0])
}

// parseFlags parses a subcommand's flag set; --help prints usage and ends the command cleanly.
func parseFlags(fs *pflag.FlagSet, args []string, stdout io.Writer, usage string) (help bool, err error) {
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			fmt.Fprint(stdout, usage)
			fmt.Fprintln(stdout, "Flags:")
			fmt.Fprint(stdout, fs.FlagUsages())
			return true, nil
		}
		return false, usageError("%s: %v", fs.Name(), err)
	}
	if fs.NArg() > 0 {
		return false, usageError("%s: unexpected argument %q", fs.Name(), fs.Arg(0))
	}
	return false, nil
}

// newLogger builds the one logger, writing to stderr.
func newLogger(w io.Writer, format, level string) (*slog.Logger, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return nil, usageError("--log-level %q: want debug, info, warn or error", level)
	}
	opts := &slog.HandlerOptions{Level: lv}
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, usageError("--log-format %q: want text or json", format)
}

func runVersion(_ context.Context, args []string, stdout, _ io.Writer) error {
	fs := pflag.NewFlagSet("version", pflag.ContinueOnError)
	if help, err := parseFlags(fs, args, stdout, "Usage: vendormock version\n\nPrints the version.\n\n"); help || err != nil {
		return err
	}
	fmt.Fprintln(stdout, "vendormock", version)
	return nil
}
