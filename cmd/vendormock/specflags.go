package main

import (
	"path/filepath"
	"strings"

	"github.com/spf13/pflag"

	"github.com/vendormock/vendormock/fixtures"
	"github.com/vendormock/vendormock/specs"
)

// specFlags are the flags that choose descriptions, shared by serve and lint.
type specFlags struct {
	specs    []string
	bundled  bool
	fixtures []string
}

func (f *specFlags) register(fs *pflag.FlagSet) {
	fs.StringArrayVar(&f.specs, "spec", nil, "description to load: PATH (served at /) or NAME=PATH (served at /NAME); repeatable")
	fs.BoolVar(&f.bundled, "bundled", false, "also serve the bundled vendors when --spec is given")
	fs.StringArrayVar(&f.fixtures, "fixtures", nil, "directory of <vendor>/*.json seed records and <vendor>/credentials.json keys (added to the bundled ones); repeatable")
}

// fixtureFiles reads the bundled fixtures and the --fixtures directories.
func (f *specFlags) fixtureFiles() ([]fixtures.File, error) {
	sources := []fixtures.Source{fixtures.Bundled()}
	for _, d := range f.fixtures {
		sources = append(sources, fixtures.Dir(d))
	}
	return fixtures.Load(sources)
}

// credentialFiles reads the bundled and --fixtures <vendor>/credentials.json files.
func (f *specFlags) credentialFiles() ([]fixtures.Credentials, error) {
	sources := []fixtures.Source{fixtures.Bundled()}
	for _, d := range f.fixtures {
		sources = append(sources, fixtures.Dir(d))
	}
	return fixtures.LoadCredentials(sources)
}

// sources turns the flags into load sources: the bundled vendors unless --spec is given without
// --bundled.
func (f *specFlags) sources() ([]specs.Source, error) {
	var out []specs.Source
	if len(f.specs) == 0 || f.bundled {
		out = append(out, specs.Bundled()...)
	}
	roots := 0
	for _, s := range f.specs {
		name, path, ok := strings.Cut(s, "=")
		if !ok {
			name, path = "", s
			roots++
		}
		if strings.TrimSpace(path) == "" {
			return nil, usageError("--spec %q: missing file path", s)
		}
		out = append(out, specs.Source{Name: name, Path: filepath.Clean(path)})
	}
	if roots > 1 {
		return nil, usageError("--spec: only one description can be served at /; name the others with NAME=PATH")
	}
	return out, nil
}
