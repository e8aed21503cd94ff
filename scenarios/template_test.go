package scenarios_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/vendormock/vendormock/scenarios"
)

// memState is a scenarios.State over fixed records: resource "/pets" (a collection) and "/me"
// (a singleton).
type memState struct {
	pets []map[string]any
	me   map[string]any
}

func (m *memState) Record(resource, id string) (map[string]any, bool, error) {
	switch resource {
	case "/pets":
		for _, p := range m.pets {
			if fmt.Sprint(p["id"]) == id {
				return p, true, nil
			}
		}
		return nil, false, nil
	case "/me":
		return m.me, m.me != nil, nil
	}
	return nil, false, fmt.Errorf("no resource %q: %w", resource, scenarios.ErrUnknownResource)
}

func (m *memState) Records(resource string, where map[string]string) ([]map[string]any, error) {
	if resource != "/pets" {
		return nil, fmt.Errorf("no resource %q: %w", resource, scenarios.ErrUnknownResource)
	}
	var out []map[string]any
	for _, p := range m.pets {
		ok := true
		for k, v := range where {
			ok = ok && fmt.Sprint(p[k]) == v
		}
		if ok {
			out = append(out, p)
		}
	}
	return out, nil
}

const stateRules = `
scenarios:
  - name: stored
    rules:
      - name: read
        match: {operations: ["find pet by id"]}
        respond:
          status: 200
          headers: {X-Pet-Name: '{{with record "pets" .PathParams.id}}{{.name}}{{end}}'}
          template: |
            {{- with record "pets" .PathParams.id -}}
            {{json (set . "name" "renamed")}}
            {{- else}}{{pass}}{{end}}
      - name: list
        match: {operations: [findPets]}
        respond:
          status: 200
          template: '{"dogs": {{json (records "/pets" "tag" .Query.tag)}}, "all": {{len (records "pets")}}, "missing": {{json (record "pets" "99")}}}'
  - name: broken
    rules:
      - name: unknown-resource
        match: {operations: ["find pet by id"]}
        respond:
          status: 200
          template: |
            {"pet":
              {{json (record .Query.res .PathParams.id)}}}
      - name: not-json
        match: {operations: [findPets]}
        respond:
          status: 200
          template: '{"pet": {{record "pets" "1"}}}'
`

func TestEngine_TemplateReadsState(t *testing.T) {
	st := &memState{pets: []map[string]any{
		{"id": 1, "name": "Rex", "tag": "dog"}, {"id": 2, "name": "Tom", "tag": "cat"}, {"id": 3, "name": "Fido", "tag": "dog"},
	}}
	e := petEngine(t, stateRules, newClock())

	r := petReq(t, "find pet by id", scenarios.HeaderScenario, "stored")
	r.PathParams, r.State = map[string]string{"id": "1"}, st
	o := decide(t, e, r)
	var pet map[string]any
	if err := json.Unmarshal(o.Body, &pet); err != nil || pet["name"] != "renamed" || pet["tag"] != "dog" || o.Header.Get("X-Pet-Name") != "Rex" {
		t.Fatalf("stored read: %s %v (%v)", o.Body, o.Header, err)
	}
	if st.pets[0]["name"] != "Rex" {
		t.Fatalf("set changed the stored record: %v", st.pets[0])
	}

	// A missing record: the template passes, so the rule declines and the normal pipeline answers.
	r.PathParams = map[string]string{"id": "42"}
	if o, err := e.Decide(r); err != nil || o != nil {
		t.Fatalf("missing record: outcome %+v, error %v; want the rule to pass", o, err)
	}

	r = petReq(t, "findPets", scenarios.HeaderScenario, "stored")
	r.Query.Set("tag", "dog")
	r.State = st
	o = decide(t, e, r)
	var list struct {
		Dogs    []map[string]any
		All     int
		Missing any
	}
	if err := json.Unmarshal(o.Body, &list); err != nil || len(list.Dogs) != 2 || list.All != 3 || list.Missing != nil {
		t.Fatalf("records: %s (%v)", o.Body, err)
	}
	r.Query.Set("tag", "bird")
	if o = decide(t, e, r); !strings.Contains(string(o.Body), `"dogs": []`) {
		t.Fatalf("records without a match is an empty list: %s", o.Body)
	}
}

func TestEngine_TemplateErrors(t *testing.T) {
	st := &memState{pets: []map[string]any{{"id": 1, "name": "Rex"}}}
	e := petEngine(t, stateRules, newClock())
	for _, tc := range []struct {
		name, op string
		state    scenarios.State
		line     int
		rule     string
		want     string
	}{
		// The failing action is on the template's second line: line 27 of the file.
		{"unknown resource", "find pet by id", st, 27, "unknown-resource", `no resource "/nowhere"`},
		{"no state", "find pet by id", nil, 27, "unknown-resource", "no stored state"},
		{"not JSON", "findPets", st, 32, "not-json", "the rendered body is not JSON"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := petReq(t, tc.op, scenarios.HeaderScenario, "broken")
			r.PathParams, r.State = map[string]string{"id": "1"}, tc.state
			r.Query.Set("res", "nowhere")
			_, err := e.Decide(r)
			var te *scenarios.TemplateError
			if !errors.As(err, &te) {
				t.Fatalf("got %v, want a *TemplateError", err)
			}
			if te.Scenario != "broken" || te.Rule != tc.rule || te.File != "t/petstore/t.yaml" || te.Line != tc.line ||
				!strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %+v (%v), want rule %s at line %d: %s", te, err, tc.rule, tc.line, tc.want)
			}
			if !strings.HasPrefix(err.Error(), fmt.Sprintf("t/petstore/t.yaml:%d: scenario petstore/broken rule %s:", tc.line, tc.rule)) {
				t.Errorf("message %q does not start with file, line, scenario and rule", err)
			}
		})
	}
}

// TestParse_TemplateLines checks that a template that does not parse is reported at the file line
// of the mistake: inside a literal block, its own line; in a header, the header's line.
func TestParse_TemplateLines(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		line       int
		want       string
	}{
		{"block", "scenarios:\n  - name: a\n    rules:\n      - respond:\n          status: 200\n          template: |\n            {\"a\": 1,\n             \"b\": {{recrd \"pets\" 1}}}\n", 8, `function "recrd" not defined`},
		{"quoted", "scenarios:\n  - name: a\n    rules:\n      - respond:\n          status: 200\n          template: '{{.X'\n", 6, "unclosed action"},
		{"header", "scenarios:\n  - name: a\n    rules:\n      - respond:\n          status: 200\n          headers:\n            X-A: ok\n            X-B: '{{if}}'\n", 8, "missing value for if"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := scenarios.Parse("f.yaml", "petstore", []byte(tc.text))
			var e *scenarios.Error
			if !errors.As(err, &e) || len(e.Problems) != 1 {
				t.Fatalf("got %v, want one problem", err)
			}
			p := e.Problems[0]
			if p.Line != tc.line || !strings.Contains(p.Message, tc.want) || strings.Contains(p.Message, "template: template:") {
				t.Fatalf("got %s, want line %d: %s", p, tc.line, tc.want)
			}
		})
	}
}

// TestSet_CheckResources checks what only the server's resources can tell: names, singletons and
// argument counts of record and records.
func TestSet_CheckResources(t *testing.T) {
	set, _, err := loadPet(t, map[string]string{"petstore/t.yaml": `
scenarios:
  - name: a
    rules:
      - match: {operations: [findPets]}
        respond:
          status: 200
          headers: {X-N: '{{len (records "pets" "tag")}}'}
          template: |
            [{{json (record "nope" 1)}},
             {{json (record "pets")}},
             {{json (record "/me" 1)}},
             {{json (records "me")}},
             {{json (record "pets" .PathParams.id)}},
             {{json (.PathParams.id | record "/pets")}},
             {{json (record .Query.r 1)}}]
`})
	if err != nil {
		t.Fatal(err)
	}
	problems := set.CheckResources(func(vendor string) []scenarios.Resource {
		if vendor != "petstore" {
			t.Errorf("asked for vendor %q", vendor)
		}
		return []scenarios.Resource{{Name: "/pets"}, {Name: "/me", Singleton: true}}
	})
	want := []struct {
		line int
		msg  string
	}{
		{10, `record "nope": the vendor has no such resource (GET /__admin/resources lists them: /me, /pets)`},
		{11, `record "pets": want an id`},
		{12, `record "/me": /me is a singleton; read it without an id`},
		{13, `records "me": /me is a singleton`},
		{8, `records "pets": want FIELD VALUE pairs`},
	}
	if len(problems) != len(want) {
		t.Fatalf("got %d problems, want %d: %v", len(problems), len(want), problems)
	}
	for _, w := range want {
		found := false
		for _, p := range problems {
			found = found || p.Line == w.line && strings.Contains(p.Message, w.msg) && p.File == "t/petstore/t.yaml"
		}
		if !found {
			t.Errorf("no problem at line %d containing %q: %v", w.line, w.msg, problems)
		}
	}
}
