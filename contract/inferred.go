package contract

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/vendormock/vendormock/specs"
)

// inferred records what the valid request's answer says about the parts of the description
// marked x-vendormock-inferred: the operation itself, body properties and response headers.
func (r *runner) inferred(op *specs.Operation, ans *answer, findings []Finding) {
	success := ans.Status >= 200 && ans.Status < 300
	if op.Inferred {
		ir := InferredResult{Operation: op.ID, Item: "operation"}
		switch {
		case ans.Status == 404 || ans.Status == 405 || ans.Status == 501:
			ir.Verdict, ir.Detail = VerdictContradicted, fmt.Sprintf("the sandbox answered %d", ans.Status)
		case success && len(findings) == 0:
			ir.Verdict, ir.Detail = VerdictConfirmed, fmt.Sprintf("answered %d as described", ans.Status)
		case success:
			ir.Verdict, ir.Detail = VerdictContradicted, fmt.Sprintf("answered %d with %d finding%s", ans.Status, len(findings), plural(len(findings)))
		default:
			ir.Verdict, ir.Detail = VerdictUnseen, fmt.Sprintf("the sandbox answered %d", ans.Status)
		}
		r.addInferred(ir)
	}
	if !success {
		return
	}
	if resp, _ := op.Response(ans.Status); resp != nil && resp.Headers != nil {
		for name, h := range resp.Headers.FromOldest() {
			if h == nil || !inferredMark(h.Extensions) {
				continue
			}
			ir := InferredResult{Operation: op.ID, Item: "header " + name, Verdict: VerdictUnseen, Detail: "not sent"}
			if ans.Header.Get(name) != "" {
				ir.Verdict, ir.Detail = VerdictConfirmed, "sent"
				if f, ok := findingAt(findings, KindHeader, name, ""); ok {
					ir.Verdict, ir.Detail = VerdictContradicted, f.Message
				}
			}
			r.addInferred(ir)
		}
	}
	s := responseSchema(op, ans.Status, ans.Header.Get("Content-Type"))
	var doc any
	if s == nil || json.Unmarshal(ans.Body, &doc) != nil {
		return
	}
	seen := map[string]bool{}
	inferredProps(s, doc, "", 0, seen)
	ptrs := make([]string, 0, len(seen))
	for p := range seen {
		ptrs = append(ptrs, p)
	}
	sort.Strings(ptrs)
	for _, p := range ptrs {
		ir := InferredResult{Operation: op.ID, Item: "body " + p, Verdict: VerdictUnseen, Detail: "not in the answer"}
		if seen[p] {
			ir.Verdict, ir.Detail = VerdictConfirmed, "present and valid"
		}
		if f, ok := findingAt(findings, "", "", p); ok {
			ir.Verdict, ir.Detail = VerdictContradicted, f.Message
		}
		r.addInferred(ir)
	}
}

// findingAt finds a finding by kind and name, or at (or under) a pointer whose array indices are *.
func findingAt(fs []Finding, kind, name, ptr string) (Finding, bool) {
	for _, f := range fs {
		if kind != "" && (f.Kind != kind || !strings.EqualFold(f.Name, name)) {
			continue
		}
		if ptr != "" {
			fp := starIndices(f.Pointer)
			if fp != ptr && !strings.HasPrefix(fp, ptr+"/") {
				continue
			}
		}
		return f, true
	}
	return Finding{}, false
}

func starIndices(ptr string) string {
	toks := strings.Split(ptr, "/")
	for i, t := range toks {
		if i > 0 && t != "" && strings.Trim(t, "0123456789") == "" {
			toks[i] = "*"
		}
	}
	return strings.Join(toks, "/")
}
