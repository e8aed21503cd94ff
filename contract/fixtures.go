package contract

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	yaml "github.com/pb33f/go-yaml"

	"github.com/vendormock/vendormock/specs"
)

// Fixture holds known values of the sandbox for one operation, path, or every request ("*").
type Fixture struct {
	// Params are parameter values keyed "in.name": "path.userId", "query.siteId", "header.X-Site".
	Params map[string]string `json:"params,omitempty" yaml:"params"`
	// Body, when set, is sent instead of a generated body (JSON).
	Body any `json:"body,omitempty" yaml:"body"`
}

// Fixtures are keyed by operationId, "METHOD /path", "/path" or "*" (every request). The most
// specific key wins per parameter: operationId, then METHOD /path, then /path, then *.
type Fixtures map[string]Fixture

// LoadFixtures reads every .yaml, .yml and .json file under dir and merges their keys; a key
// defined in two files is an error naming both.
func LoadFixtures(dir string) (Fixtures, error) {
	out := Fixtures{}
	from := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		ext := strings.ToLower(filepath.Ext(path))
		if d.IsDir() || (ext != ".yaml" && ext != ".yml" && ext != ".json") {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		var m map[string]Fixture
		if len(bytes.TrimSpace(data)) == 0 {
			return nil
		}
		if ext == ".json" {
			dec := json.NewDecoder(bytes.NewReader(data))
			dec.DisallowUnknownFields()
			err = dec.Decode(&m)
		} else {
			err = yaml.Load(data, &m, yaml.WithKnownFields())
		}
		if err != nil {
			return fmt.Errorf("fixtures %s: %w", path, err)
		}
		for k, f := range m {
			if prev, dup := from[k]; dup {
				return fmt.Errorf("fixtures %s: key %q is also defined in %s", path, k, prev)
			}
			from[k] = path
			f.Body = specs.JSONValue(f.Body)
			out[k] = f
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load fixtures %s: %w", dir, err)
	}
	return out, nil
}

// For merges the fixtures that apply to op: params by specificity, and the most specific body.
func (fx Fixtures) For(op *specs.Operation) Fixture {
	out := Fixture{Params: map[string]string{}}
	for _, key := range []string{"*", op.Path, op.Method + " " + op.Path, op.ID} {
		f, ok := fx[key]
		if !ok {
			continue
		}
		for k, v := range f.Params {
			out.Params[k] = v
		}
		if f.Body != nil {
			out.Body = f.Body
		}
	}
	return out
}

// Explicit reports whether a fixture names op itself (by operationId or METHOD /path), which is
// what lets full mode run a DELETE outside a flow.
func (fx Fixtures) Explicit(op *specs.Operation) bool {
	_, a := fx[op.ID]
	_, b := fx[op.Method+" "+op.Path]
	return a || b
}
