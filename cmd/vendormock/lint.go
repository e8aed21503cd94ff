package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/spf13/pflag"

	"github.com/vendormock/vendormock/fixtures"
	"github.com/vendormock/vendormock/mock"
	"github.com/vendormock/vendormock/specs"
)

const lintUsage = `Usage: vendormock lint [flags]

Loads descriptions and their sidecar files and reports every problem: files that do not load
(with the file and JSON pointer), unknown security schemes or generator names, and examples that
do not validate against their own schema. Fixtures (bundled and --fixtures DIR) are checked with
the vendor they belong to: seed records against the schema, <vendor>/credentials.json entries
against the vendor's security schemes. Then checks the scenario files (bundled and --scenarios
DIR) against all descriptions together: unknown vendors, operations and paths, bad YAML,
templates that do not parse or read resources the vendor does not have, and bodies that do not
validate, each with file and line; statuses a description does not document are reported as
warnings. Exits 1 when there is any problem (warnings do not count).

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
	fixtureFiles, err := sf.fixtureFiles()
	if err != nil {
		return &exitError{code: 1, err: fmt.Errorf("lint: %w", err)}
	}
	problems, loaded := 0, 0
	for _, f := range fixtureFiles {
		if !f.Optional && !hasSource(sources, f.Vendor) {
			fmt.Fprintf(stdout, "fixtures %s: no vendor %q is loaded\n", f.Path, f.Vendor)
			problems++
		}
	}
	creds, err := sf.credentialFiles()
	if err != nil {
		fmt.Fprintln(stdout, err)
		problems++
	}
	for _, c := range creds {
		if !c.Optional && !hasSource(sources, c.Vendor) {
			fmt.Fprintf(stdout, "%s: no vendor %q is loaded\n", c.Where(), c.Vendor)
			problems++
		}
	}
	for _, src := range sources {
		// Each description on its own, so one broken file does not hide the others' problems.
		cat, err := specs.Load(ctx, []specs.Source{src}, specs.Options{})
		if err != nil {
			fmt.Fprintln(stdout, err)
			problems++
			continue
		}
		// Fixtures are checked with the vendor they seed (bundled ones only when it is served).
		srv, err := mock.NewServer(mock.Options{Catalog: cat, Now: time.Now, Fixtures: optionalFixtures(fixtureFiles),
			Credentials: optionalCredentials(creds)})
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

// optionalFixtures marks fixture files optional, for checking one description at a time.
func optionalFixtures(files []fixtures.File) []fixtures.File {
	out := make([]fixtures.File, len(files))
	for i, f := range files {
		f.Optional = true
		out[i] = f
	}
	return out
}

// optionalCredentials marks credentials optional, for checking one description at a time.
func optionalCredentials(creds []fixtures.Credentials) []fixtures.Credentials {
	out := make([]fixtures.Credentials, len(creds))
	for i, c := range creds {
		c.Optional = true
		out[i] = c
	}
	return out
}

func hasSource(sources []specs.Source, name string) bool {
	for _, s := range sources {
		if s.Name == name {
			return true
		}
	}
	return false
}
