package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/vendormock/vendormock/mock"
	"github.com/vendormock/vendormock/scenarios"
	"github.com/vendormock/vendormock/specs"
)

// scenarioFlags choose scenario files and the scenarios active for a run.
type scenarioFlags struct {
	active []string
	dirs   []string
}

// register adds --scenario and --scenarios (serve).
func (f *scenarioFlags) register(fs *pflag.FlagSet) {
	fs.StringArrayVar(&f.active, "scenario", nil, "scenario active for every request, as vendor/name; repeatable")
	f.registerDirs(fs)
}

// registerDirs adds --scenarios only (lint checks files; nothing is active).
func (f *scenarioFlags) registerDirs(fs *pflag.FlagSet) {
	fs.StringArrayVar(&f.dirs, "scenarios", nil, "directory of scenario files (<vendor>/*.yaml) added to the bundled ones; repeatable")
}

// Validate checks the shape of --scenario values; their existence is checked once files load.
func (f *scenarioFlags) Validate() error {
	for _, a := range f.active {
		vendor, name, ok := strings.Cut(a, "/")
		if !ok || vendor == "" || name == "" {
			return usageError("--scenario %q: want vendor/name", a)
		}
	}
	return nil
}

func (f *scenarioFlags) scenarioSources() []scenarios.Source {
	out := []scenarios.Source{scenarios.Bundled()}
	for _, d := range f.dirs {
		out = append(out, scenarios.Dir(d))
	}
	return out
}

// engine loads the bundled and --scenarios files, logs their warnings and starts the engine.
func (f *scenarioFlags) engine(ctx context.Context, cat *specs.Catalog, seed int64, logger *slog.Logger) (*scenarios.Engine, error) {
	set, warnings, err := scenarios.Load(ctx, cat, f.scenarioSources())
	if err != nil {
		return nil, err
	}
	for _, w := range warnings {
		logger.Debug("scenario warning", "file", w.File, "line", w.Line, "warning", w.Message)
	}
	engine, err := scenarios.NewEngine(set, scenarios.EngineOptions{Seed: seed, Now: time.Now, Active: f.active})
	if err != nil {
		return nil, usageError("--scenario: %v", err)
	}
	for _, a := range f.active {
		logger.Info("scenario active", "scenario", a)
	}
	logger.Info("scenarios loaded", "scenarios", len(set.Scenarios()), "warnings", len(warnings))
	return engine, nil
}

// lintScenarios loads the scenario files against a catalog and prints every problem and warning;
// it returns the number of problems.
func (f *scenarioFlags) lintScenarios(ctx context.Context, cat *specs.Catalog, print func(string)) int {
	set, warnings, err := scenarios.Load(ctx, cat, f.scenarioSources())
	for _, w := range warnings {
		print("warning: " + w.String())
	}
	if err != nil {
		var e *scenarios.Error
		if errors.As(err, &e) {
			for _, p := range e.Problems {
				print(p.String())
			}
			return len(e.Problems)
		}
		print(err.Error())
		return 1
	}
	// Templates may read only the resources the server infers (as serve checks at start).
	problems := set.CheckResources(mock.ScenarioResources(cat))
	for _, p := range problems {
		print(p.String())
	}
	print(fmt.Sprintf("scenarios: %d scenarios, %d warnings, %d problems", len(set.Scenarios()), len(warnings), len(problems)))
	return len(problems)
}
