package contract

import (
	"regexp"
	"strings"

	"github.com/vendormock/vendormock/specs"
)

// selector picks operations by globs on operationId or "METHOD /path".
type selector struct {
	include, exclude []*regexp.Regexp
}

func newSelector(include, exclude []string) *selector {
	return &selector{include: globs(include), exclude: globs(exclude)}
}

func globs(patterns []string) []*regexp.Regexp {
	var out []*regexp.Regexp
	for _, p := range patterns {
		for _, part := range strings.Split(p, ",") {
			if part = strings.TrimSpace(part); part != "" {
				out = append(out, glob(part))
			}
		}
	}
	return out
}

// glob compiles a case-sensitive pattern where * matches any run of characters (slashes too)
// and ? one character.
func glob(p string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString("^")
	for _, r := range p {
		switch r {
		case '*':
			b.WriteString(".*")
		case '?':
			b.WriteString(".")
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	b.WriteString("$")
	return regexp.MustCompile(b.String())
}

func matchAny(res []*regexp.Regexp, op *specs.Operation) bool {
	for _, re := range res {
		if re.MatchString(op.ID) || re.MatchString(op.Method+" "+op.Path) {
			return true
		}
	}
	return false
}

// selected reports whether op passes --include (when given) and not --exclude.
func (s *selector) selected(op *specs.Operation) bool {
	if len(s.include) > 0 && !matchAny(s.include, op) {
		return false
	}
	return !matchAny(s.exclude, op)
}
