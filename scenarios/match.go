package scenarios

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/pb33f/libopenapi/datamodel/high/base"

	"github.com/vendormock/vendormock/specs"
)

// compiled is a scenario whose rules are resolved against its vendor.
type compiled struct {
	*Scenario
	rules []*compiledRule
}

type compiledRule struct {
	*Rule
	scenario    *compiled
	index       int
	ops         []*specs.Operation
	opIDs       map[string]bool
	specificity int
	respond     *compiledRespond
	steps       []*compiledStep
}

type compiledStep struct {
	*Step
	respond *compiledRespond
}

type compiledRespond struct {
	*Respond
	body    []byte // literal body, encoded; or a template without actions
	tmpl    *tmpl
	headers map[string]*tmpl // header values that are templates
}

// resolve finds the operations a match selects; an unknown operationId, or a method and path no
// operation has, is an error.
func resolve(v *specs.Vendor, m Match) ([]*specs.Operation, error) {
	var ops []*specs.Operation
	if len(m.Operations) > 0 {
		for _, id := range m.Operations {
			op, ok := v.Operation(id)
			if !ok {
				return nil, fmt.Errorf("vendor %q has no operation %q", v.Name, id)
			}
			ops = append(ops, op)
		}
	} else {
		for _, op := range v.Operations {
			if (m.Method == "" || op.Method == m.Method) && (m.Path == "" || op.Path == m.Path) {
				ops = append(ops, op)
			}
		}
		if len(ops) == 0 && (m.Method != "" || m.Path != "") {
			return nil, fmt.Errorf("vendor %q has no operation %s %s", v.Name, strings.TrimSpace(m.Method+" "+m.Path), pathHint(v, m.Path))
		}
	}
	if m.Kind != "" {
		kept := ops[:0:0]
		for _, op := range ops {
			if KindOf(op) == m.Kind {
				kept = append(kept, op)
			}
		}
		if len(kept) == 0 {
			return nil, fmt.Errorf("no operation of vendor %q among those matched is of kind %q", v.Name, m.Kind)
		}
		ops = kept
	}
	return ops, nil
}

func pathHint(v *specs.Vendor, p string) string {
	if p == "" {
		return ""
	}
	for _, op := range v.Operations {
		if strings.EqualFold(strings.TrimSuffix(op.Path, "/"), strings.TrimSuffix(p, "/")) {
			return fmt.Sprintf("(did you mean %s?)", op.Path)
		}
	}
	return "(paths are templates as the description writes them, like /users/{userId})"
}

// specificity ranks matches: operations named or a path beat a kind, which beats a method alone,
// which beats everything; each query, header or body condition adds to it.
func specificity(m Match) int {
	n := 0
	switch {
	case len(m.Operations) > 0 || m.Path != "":
		n = 100
	case m.Kind != "":
		n = 50
	case m.Method != "":
		n = 20
	}
	return n + 10*(len(m.Query)+len(m.Header)+len(m.Body))
}

// KindOf classifies an operation for match.kind: "read" is a GET whose path ends in a parameter,
// "list" a GET answering an array or an object holding one; "" is anything else.
func KindOf(op *specs.Operation) string {
	if op.Method != http.MethodGet {
		return ""
	}
	s := jsonSchema(op, op.SuccessStatus())
	if s != nil && hasType(s, "array") {
		return KindList
	}
	if s != nil && s.Properties != nil {
		for name, p := range s.Properties.FromOldest() {
			// The name first: building a property's schema is the costly part.
			if !listEnvelope(name) {
				continue
			}
			if ps := op.Vendor.Schema(p); ps != nil && hasType(ps, "array") {
				return KindList
			}
		}
	}
	segs := strings.Split(strings.Trim(op.Path, "/"), "/")
	last := segs[len(segs)-1]
	if strings.HasPrefix(last, "{") && strings.HasSuffix(last, "}") {
		return KindRead
	}
	return ""
}

// listEnvelope names the properties vendors wrap a page of records in.
func listEnvelope(name string) bool {
	switch strings.ToLower(name) {
	case "data", "items", "results", "records", "entries", "rows", "list":
		return true
	}
	return false
}

func hasType(s *base.Schema, t string) bool {
	for _, x := range s.Type {
		if x == t {
			return true
		}
	}
	return false
}

// jsonSchema is the schema of the JSON body documented for a status (exactly or by range).
func jsonSchema(op *specs.Operation, status int) *base.Schema {
	resp, _ := op.Response(status)
	if resp == nil || resp.Content == nil {
		return nil
	}
	for ct, mt := range resp.Content.FromOldest() {
		mtype, _, err := mime.ParseMediaType(ct)
		if err != nil {
			mtype = ct
		}
		if (mtype == "application/json" || strings.HasSuffix(mtype, "+json")) && mt.Schema != nil {
			return op.Vendor.Schema(mt.Schema)
		}
	}
	return nil
}

// applies reports whether the rule matches a request: its operation and every condition.
func (r *compiledRule) applies(req *Request, body func() any) bool {
	if r.opIDs != nil && !r.opIDs[req.Op.ID] {
		return false
	}
	for k, want := range r.Match.Query {
		if !anyEquals(req.Query[k], want) {
			return false
		}
	}
	for k, want := range r.Match.Header {
		if !anyEquals(req.Header.Values(k), want) {
			return false
		}
	}
	for k, want := range r.Match.Body {
		got, ok := lookup(body(), k)
		if !ok || (want != "*" && got != want) {
			return false
		}
	}
	return true
}

func anyEquals(values []string, want string) bool {
	if len(values) == 0 {
		return false
	}
	if want == "*" {
		return true
	}
	for _, v := range values {
		for _, part := range strings.Split(v, ",") {
			if strings.TrimSpace(part) == want || v == want {
				return true
			}
		}
	}
	return false
}

// decodeBody decodes a JSON body keeping numbers as written; nil when it is not JSON.
func decodeBody(b []byte) any {
	if len(bytes.TrimSpace(b)) == 0 {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil
	}
	return v
}

// lookup follows a dotted path (patient.name, items.0.id) and renders the scalar it finds.
func lookup(v any, dotted string) (string, bool) {
	for _, part := range strings.Split(dotted, ".") {
		switch t := v.(type) {
		case map[string]any:
			x, ok := t[part]
			if !ok {
				return "", false
			}
			v = x
		case []any:
			i, err := strconv.Atoi(part)
			if err != nil || i < 0 || i >= len(t) {
				return "", false
			}
			v = t[i]
		default:
			return "", false
		}
	}
	switch t := v.(type) {
	case nil:
		return "null", true
	case string:
		return t, true
	case json.Number:
		return t.String(), true
	case bool:
		return strconv.FormatBool(t), true
	}
	b, err := json.Marshal(v)
	return string(b), err == nil
}
