package mock

import "sort"

// LintProblem is a defect of a description found while compiling it for serving.
type LintProblem struct {
	Vendor  string `json:"vendor"`
	Source  string `json:"source"`
	Message string `json:"message"`
}

// Lint compiles every documented response of every operation (which start-up defers) and
// returns the problems found: examples that do not decode or validate against their schema.
func (s *Server) Lint() []LintProblem {
	var out []LintProblem
	for _, vr := range s.vendors {
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
					out = append(out, LintProblem{Vendor: vr.v.Name, Source: vr.v.Source.Display(), Message: p})
				}
			}
		}
	}
	return out
}
