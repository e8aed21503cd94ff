package scenarios_test

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"testing"

	yaml "github.com/pb33f/go-yaml"
	"github.com/pb33f/jsonschema/v6"

	"github.com/vendormock/vendormock/scenarios"
)

// TestSchema checks that schema.json accepts every bundled file and rejects a few broken ones, so
// the JSON Schema and the parser describe the same format.
func TestSchema(t *testing.T) {
	raw, err := os.ReadFile("schema.json")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("schema.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("schema.json")
	if err != nil {
		t.Fatal(err)
	}
	check := func(name string, data []byte) error {
		var v any
		if err := yaml.Unmarshal(data, &v); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		j, err := json.Marshal(v)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(j))
		if err != nil {
			t.Fatal(err)
		}
		return sch.Validate(inst)
	}
	files, err := fs.Glob(scenarios.Bundled().FS, "*/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("bundled files: %v %v", files, err)
	}
	for _, f := range files {
		data, err := fs.ReadFile(scenarios.Bundled().FS, f)
		if err != nil {
			t.Fatal(err)
		}
		if err := check(f, data); err != nil {
			t.Errorf("%s does not validate against schema.json: %v", f, err)
		}
	}
	for name, text := range map[string]string{
		"unknown key":    "scenarios:\n  - name: a\n    rules: [{delay: 1s, retries: 2}]\n",
		"bad fault":      "scenarios:\n  - name: a\n    rules: [{fault: explode}]\n",
		"respond+fault":  "scenarios:\n  - name: a\n    rules: [{fault: reset, respond: {status: 500}}]\n",
		"no rules":       "scenarios:\n  - name: a\n    rules: []\n",
		"bad duration":   "scenarios:\n  - name: a\n    rules: [{delay: soon}]\n",
		"empty rule":     "scenarios:\n  - name: a\n    rules: [{name: x}]\n",
		"cycle alone":    "scenarios:\n  - name: a\n    rules: [{cycle: true, delay: 1s}]\n",
		"status too big": "scenarios:\n  - name: a\n    rules: [{respond: {status: 700}}]\n",
	} {
		if check(name, []byte(text)) == nil {
			t.Errorf("schema.json accepts a file with %s", name)
		}
		if _, err := scenarios.Parse("f.yaml", "v", []byte(text)); err == nil {
			t.Errorf("Parse accepts a file with %s", name)
		}
	}
}
