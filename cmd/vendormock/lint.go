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
do not validate against their own schema. Then checks the scenario files (bundled and --scenarios
DIR) against all descriptions together: unknown vendors, operations and paths, bad YAML and
bodies that do not validate, each with file and line; statuses a description does not document
are reported as warnings. Exits 1 when there is any problem (warnings do not count).

Examples:
  vendormock lint                        # the bundled vendors
  vendormock lint --spec ./openapi.yaml
  vendormock lint --scenarios ./my-scenarios

`

func runLint(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var (
		sf  specFlags
		scf scenarioFlags
	)
	fs := pflag.NewFlagSet("lint", pflag.ContinueOnError)
	sf.register(fs)
	scf.registerDirs(fs)
	if help, err := parseFlags(fs, args, stdout, lintUsage); help || err != nil {
		return err
	}
	sources, err := sf.sources()
	if err != nil {
		return err
	}
	problems, loaded := 0, 0
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
		loaded++
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
	// Scenarios need every description at once; when one does not load, its scenarios cannot be
	// checked, and the problem is already reported.
	if loaded == len(sources) {
		cat, err := specs.Load(ctx, sources, specs.Options{})
		if err != nil {
			fmt.Fprintln(stdout, err)
			problems++
		} else {
			problems += scf.lintScenarios(ctx, cat, func(line string) { fmt.Fprintln(stdout, line) })
		}
	}
	if problems > 0 {
		return &exitError{code: 1, err: fmt.Errorf("lint: %d problems", problems)}
	}
	return nil
}
