package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/spf13/pflag"

	"github.com/vendormock/vendormock/mock"
	"github.com/vendormock/vendormock/specs"
)

const lintUsage = `Usage: vendormock lint [flags]

Loads descriptions and their sidecar files and reports every problem: files that do not load
(with the file and JSON pointer), unknown security schemes or generator names, and examples that
do not validate against their own schema. Exits 1 when there is any problem.

Examples:
  vendormock lint                        # the bundled vendors
  vendormock lint --spec ./openapi.yaml

`

func runLint(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var sf specFlags
	fs := pflag.NewFlagSet("lint", pflag.ContinueOnError)
	sf.register(fs)
	if help, err := parseFlags(fs, args, stdout, lintUsage); help || err != nil {
		return err
	}
	sources, err := sf.sources()
	if err != nil {
		return err
	}
	problems := 0
	for _, src := range sources {
		// Each description on its own, so one broken file does not hide the others' problems.
		cat, err := specs.Load(ctx, []specs.Source{src}, specs.Options{})
		if err != nil {
			fmt.Fprintln(stdout, err)
			problems++
			continue
		}
		srv, err := mock.NewServer(mock.Options{Catalog: cat, Now: time.Now})
		if err != nil {
			fmt.Fprintln(stdout, err)
			problems++
			continue
		}
		v := cat.Vendors[0]
		for _, w := range v.Warnings {
			fmt.Fprintf(stdout, "warning: %s: %s\n", src.Display(), w)
		}
		found := srv.Lint()
		for _, p := range found {
			fmt.Fprintf(stdout, "%s: %s\n", p.Source, p.Message)
		}
		problems += len(found)
		fmt.Fprintf(stdout, "%s: %d operations, %d problems\n", src.Display(), len(v.Operations), len(found))
	}
	if problems > 0 {
		return &exitError{code: 1, err: fmt.Errorf("lint: %d problems", problems)}
	}
	return nil
}
