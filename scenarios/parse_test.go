package scenarios_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/vendormock/vendormock/scenarios"
)

// TestParse_Problems checks that each kind of mistake is reported with its line.
func TestParse_Problems(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		line       int
		want       string
	}{
		{"bad yaml", "scenarios:\n  - name: a\n   rules: x: y\n", 3, "invalid YAML"},
		{"unknown top key", "scenario: []\n", 1, `unknown key "scenario"`},
		{"unknown rule key", "scenarios:\n  - name: a\n    rules:\n      - respond: {status: 500}\n        retries: 3\n", 5, `unknown key "retries"`},
		{"bad status", "scenarios:\n  - name: a\n    rules:\n      - respond: {status: 999}\n", 4, "status: want a whole number from 100 to 599"},
		{"bad duration", "scenarios:\n  - name: a\n    rules:\n      - delay: soon\n", 4, "want a duration"},
		{"bad fault", "scenarios:\n  - name: a\n    rules:\n      - fault: explode\n", 4, `"explode" is not one of`},
		{"probability", "scenarios:\n  - name: a\n    rules:\n      - delay: 1s\n        probability: 2\n", 5, "from 0 to 1"},
		{"empty rule", "scenarios:\n  - name: a\n    rules:\n      - name: nothing\n", 4, "does nothing"},
		{"duplicate", "scenarios:\n  - name: a\n    rules: [{delay: 1s}]\n  - name: a\n    rules: [{delay: 1s}]\n", 4, "also defined at line 2"},
		{"bad name", "scenarios:\n  - name: Big Name\n    rules: [{delay: 1s}]\n", 2, "use lower-case"},
		{"range", "scenarios:\n  - name: a\n    rules:\n      - delay: {min: 2s, max: 1s}\n", 4, "below min"},
		{"template", "scenarios:\n  - name: a\n    rules:\n      - respond:\n          status: 200\n          template: '{{.X'\n", 6, "template"},
		{"both", "scenarios:\n  - name: a\n    rules:\n      - respond: {status: 500}\n        fault: reset\n", 4, "not both"},
		{"sequence step", "scenarios:\n  - name: a\n    rules:\n      - sequence:\n          - {pass: true, fault: reset}\n", 5, "exactly one"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := scenarios.Parse("f.yaml", "petstore", []byte(tc.text))
			var e *scenarios.Error
			if !errors.As(err, &e) {
				t.Fatalf("got %v, want *Error", err)
			}
			for _, p := range e.Problems {
				if p.Line == tc.line && strings.Contains(p.Message, tc.want) && p.File == "f.yaml" {
					return
				}
			}
			t.Fatalf("no problem at line %d containing %q: %v", tc.line, tc.want, err)
		})
	}
}

// TestLoad_CatalogProblems checks what only the catalog can tell: vendors, operations, paths and
// bodies that do not validate; undocumented statuses are warnings.
func TestLoad_CatalogProblems(t *testing.T) {
	for _, tc := range []struct {
		name, file, text string
		want             string
	}{
		{"unknown vendor", "nobody/a.yaml", "scenarios:\n  - name: a\n    rules: [{delay: 1s}]\n", `unknown vendor "nobody"`},
		{"unknown operation", "petstore/a.yaml", "scenarios:\n  - name: a\n    rules:\n      - match: {operations: [nope]}\n        delay: 1s\n", `no operation "nope"`},
		{"unknown path", "petstore/a.yaml", "scenarios:\n  - name: a\n    rules:\n      - match: {method: GET, path: \"/pets/{petId}\"}\n        delay: 1s\n", "no operation GET /pets/{petId}"},
		{"invalid body", "petstore/a.yaml", "scenarios:\n  - name: a\n    rules:\n      - match: {operations: [findPets]}\n        respond:\n          status: 200\n          body: {name: 1}\n", "does not validate against the 200 response of findPets"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := loadPet(t, map[string]string{tc.file: tc.text})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want %q", err, tc.want)
			}
		})
	}
	_, warnings, err := loadPet(t, map[string]string{"petstore/a.yaml": "scenarios:\n  - name: a\n    rules:\n      - match: {operations: [findPets]}\n        respond: {status: 429}\n"})
	if err != nil || len(warnings) != 1 || warnings[0].Line != 5 || !strings.Contains(warnings[0].Message, "answers 429") {
		t.Fatalf("warnings %v, err %v", warnings, err)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("scenarios:\n  - name: a\n    rules:\n      - respond: {status: 500, body: {a: [1, 2]}}\n        delay: {min: 1s, max: 2s}\n"))
	f.Add([]byte("vendor: x\nscenarios:\n  - name: b\n    rules:\n      - sequence: [{pass: true}, {fault: reset}]\n        cycle: true\n"))
	f.Add([]byte("scenarios:\n  - name: c\n    rules:\n      - rate_limit: {requests: 1, window: 5s, per: session}\n        respond: {status: 429, headers: {Retry-After: '{{.RateLimit.Reset}}'}}\n"))
	f.Add([]byte("scenarios: [&a {name: x, rules: *a}]"))
	f.Add([]byte("\t: ]["))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := scenarios.Parse("fuzz.yaml", "v", data)
		if err == nil && file == nil {
			t.Fatal("no file and no error")
		}
		var e *scenarios.Error
		if err != nil && (!errors.As(err, &e) || len(e.Problems) == 0) {
			t.Fatalf("error without problems: %v", err)
		}
	})
}
