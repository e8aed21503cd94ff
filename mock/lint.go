package mock

import (
	"encoding/json"
	"fmt"
	"sort"

	yaml "github.com/pb33f/go-yaml"
	"github.com/pb33f/libopenapi/datamodel/high/base"

	"github.com/vendormock/vendormock/specs"
)

// LintProblem is a defect of a description found while compiling it for serving.
type LintProblem struct {
	Vendor  string `json:"vendor"`
	Source  string `json:"source"`
	Message string `json:"message"`
}

// Lint compiles every documented response of every operation (which start-up defers) and checks
// every example — responses, request bodies, parameters, component schemas — against its schema.
func (s *Server) Lint() []LintProblem {
	var out []LintProblem
	for _, vr := range s.vendors {
		add := func(msg string) {
			out = append(out, LintProblem{Vendor: vr.v.Name, Source: vr.v.Source.Display(), Message: msg})
		}
		for _, o := range vr.ops {
			codes := make([]string, 0, len(o.responses))
			for c := range o.responses {
				codes = append(codes, c)
			}
			sort.Strings(codes)
			for _, c := range codes {
				lp := o.responses[c]
				lp.once.Do(func() { lp.plan = o.compilePlan(lp.code, lp.resp) })
				for _, p := range lp.plan.problems {
					add(p)
				}
			}
			if rb := o.op.Op.RequestBody; rb != nil && rb.Content != nil {
				for ct, mt := range rb.Content.FromOldest() {
					if mt.Schema == nil {
						continue
					}
					where := o.op.Pointer + "/requestBody/content/" + specs.PointerEscape(ct)
					nodes := map[string]*yaml.Node{}
					if mt.Example != nil {
						nodes["/example"] = mt.Example
					}
					if mt.Examples != nil {
						for name, ex := range mt.Examples.FromOldest() {
							if ex != nil && ex.Value != nil {
								nodes["/examples/"+specs.PointerEscape(name)] = ex.Value
							}
						}
					}
					for suffix, n := range nodes {
						if msg := checkExample(vr, o.op.Vendor.Schema(mt.Schema), n); msg != "" {
							add(where + suffix + ": " + msg)
						}
					}
				}
			}
			for i, p := range o.op.Params {
				if p.Example != nil && p.Schema != nil {
					if msg := checkExample(vr, o.op.Vendor.Schema(p.Schema), p.Example); msg != "" {
						add(fmt.Sprintf("%s/parameters/%d (%s %s)/example: %s", o.op.Pointer, i, p.In, p.Name, msg))
					}
				}
			}
		}
		if c := vr.v.Model.Components; c != nil && c.Schemas != nil {
			for name, sp := range c.Schemas.FromOldest() {
				sch := sp.Schema()
				if sch == nil {
					add("#/components/schemas/" + specs.PointerEscape(name) + ": does not resolve")
					continue
				}
				exs := sch.Examples
				if sch.Example != nil {
					exs = append(exs, sch.Example)
				}
				for _, n := range exs {
					if msg := checkExample(vr, sch, n); msg != "" {
						add("#/components/schemas/" + specs.PointerEscape(name) + "/example: " + msg)
					}
				}
			}
		}
	}
	return out
}

// checkExample decodes a YAML example and validates it, returning "" when it is valid.
func checkExample(vr *vendorRuntime, s *base.Schema, n *yaml.Node) string {
	if s == nil {
		return ""
	}
	var v any
	if err := n.Decode(&v); err != nil {
		return "example cannot be decoded: " + err.Error()
	}
	b, err := json.Marshal(specs.JSONValue(v))
	if err != nil {
		return "example cannot be encoded as JSON: " + err.Error()
	}
	var norm any
	if err := json.Unmarshal(b, &norm); err != nil {
		return "example cannot be decoded as JSON: " + err.Error()
	}
	if f := vr.val.Value(s, norm); len(f) > 0 {
		return "example does not validate: " + f[0].String()
	}
	return ""
}
