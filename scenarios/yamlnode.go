package scenarios

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	yaml "github.com/pb33f/go-yaml"
)

// parser collects problems while it reads YAML nodes into the file format; its helpers check one
// node each and report what is wrong at the node's line.
type parser struct {
	file     string
	problems []Problem
}

func (p *parser) add(line int, format string, args ...any) {
	p.problems = append(p.problems, Problem{File: p.file, Line: line, Message: fmt.Sprintf(format, args...)})
}

func (p *parser) err() error {
	if len(p.problems) == 0 {
		return nil
	}
	return &Error{Problems: p.problems}
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		return fmt.Sprintf("%q", n.Value)
	case yaml.AliasNode:
		return "an alias"
	}
	return "nothing"
}

// mapping checks that n is a mapping with only the allowed keys and returns them by name.
func (p *parser) mapping(n *yaml.Node, what string, allowed ...string) map[string]*yaml.Node {
	if n.Kind != yaml.MappingNode {
		p.add(n.Line, "%s: want a mapping, got %s", what, kindName(n))
		return nil
	}
	out := make(map[string]*yaml.Node, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		ok := false
		for _, a := range allowed {
			if k.Value == a {
				ok = true
				break
			}
		}
		switch {
		case !ok:
			p.add(k.Line, "%s: unknown key %q (known: %s)", what, k.Value, strings.Join(allowed, ", "))
		case out[k.Value] != nil:
			p.add(k.Line, "%s: key %q is given twice", what, k.Value)
		default:
			out[k.Value] = v
		}
	}
	return out
}

func (p *parser) str(n *yaml.Node, what string) string {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		p.add(n.Line, "%s: want a string, got %s", what, kindName(n))
		return ""
	}
	return n.Value
}

func (p *parser) integer(n *yaml.Node, what string, lo, hi int) int {
	v, err := strconv.Atoi(n.Value)
	if n.Kind != yaml.ScalarNode || err != nil || v < lo || v > hi {
		p.add(n.Line, "%s: want a whole number from %d to %d, got %s", what, lo, hi, kindName(n))
		return lo
	}
	return v
}

func (p *parser) boolean(n *yaml.Node, what string) bool {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!bool" {
		return n.Value == "true" || n.Value == "True" || n.Value == "TRUE"
	}
	p.add(n.Line, "%s: want true or false, got %s", what, kindName(n))
	return false
}

func (p *parser) duration(n *yaml.Node, what string) time.Duration {
	d, err := time.ParseDuration(n.Value)
	if n.Kind != yaml.ScalarNode || err != nil || d < 0 {
		p.add(n.Line, "%s: want a duration such as 1500ms, 2s or 1m, got %s", what, kindName(n))
		return 0
	}
	return d
}

func (p *parser) oneOf(n *yaml.Node, what string, choices ...string) string {
	v := p.str(n, what)
	for _, c := range choices {
		if v == c {
			return v
		}
	}
	if v != "" {
		p.add(n.Line, "%s: %q is not one of %s", what, v, strings.Join(choices, ", "))
	}
	return ""
}

func (p *parser) stringMap(n *yaml.Node, what string) map[string]string {
	if n.Kind != yaml.MappingNode {
		p.add(n.Line, "%s: want a mapping of names to values, got %s", what, kindName(n))
		return nil
	}
	out := map[string]string{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if v.Kind != yaml.ScalarNode {
			p.add(v.Line, "%s.%s: want a text value, got %s", what, k.Value, kindName(v))
			continue
		}
		out[k.Value] = v.Value
	}
	return out
}

func (p *parser) strings(n *yaml.Node, what string) []string {
	if n.Kind == yaml.ScalarNode {
		return []string{p.str(n, what)}
	}
	if n.Kind != yaml.SequenceNode {
		p.add(n.Line, "%s: want a name or a list of names, got %s", what, kindName(n))
		return nil
	}
	out := make([]string, 0, len(n.Content))
	for _, c := range n.Content {
		if s := p.str(c, what); s != "" {
			out = append(out, s)
		}
	}
	return out
}
