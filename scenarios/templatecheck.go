package scenarios

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"text/template/parse"
)

// stateCall is a call of record or records in a template.
type stateCall struct {
	fn string
	// resource is the name when the template writes it as a string ("" when it is computed).
	resource string
	// args counts the arguments after the resource name (a piped value included).
	args int
	line int // the file line
}

// stateCalls finds the record and records calls of a template (and of the templates it defines).
func stateCalls(t *tmpl) []stateCall {
	var out []stateCall
	for _, x := range t.t.Templates() {
		if x.Tree == nil || x.Tree.Root == nil {
			continue
		}
		tree := x.Tree
		var walk func(n parse.Node)
		walkPipe := func(p *parse.PipeNode) {
			if p == nil {
				return
			}
			for i, cmd := range p.Cmds {
				if id, ok := firstIdent(cmd); ok && (id == funcRecord || id == funcRecords) {
					c := stateCall{fn: id, args: len(cmd.Args) - 2, line: t.pos.fileLine(nodeLine(tree, cmd))}
					if i > 0 {
						c.args++ // the previous command's value is passed last
					}
					if len(cmd.Args) > 1 {
						if s, ok := cmd.Args[1].(*parse.StringNode); ok {
							c.resource = s.Text
						}
					}
					out = append(out, c)
				}
				for _, a := range cmd.Args {
					walk(a)
				}
			}
		}
		walk = func(n parse.Node) {
			switch n := n.(type) {
			case *parse.ListNode:
				if n == nil {
					return
				}
				for _, c := range n.Nodes {
					walk(c)
				}
			case *parse.ActionNode:
				walkPipe(n.Pipe)
			case *parse.IfNode:
				walkBranch(&n.BranchNode, walk, walkPipe)
			case *parse.RangeNode:
				walkBranch(&n.BranchNode, walk, walkPipe)
			case *parse.WithNode:
				walkBranch(&n.BranchNode, walk, walkPipe)
			case *parse.TemplateNode:
				walkPipe(n.Pipe)
			case *parse.PipeNode:
				walkPipe(n)
			case *parse.ChainNode:
				walk(n.Node)
			}
		}
		walk(tree.Root)
	}
	return out
}

func walkBranch(b *parse.BranchNode, walk func(parse.Node), walkPipe func(*parse.PipeNode)) {
	walkPipe(b.Pipe)
	walk(b.List)
	if b.ElseList != nil {
		walk(b.ElseList)
	}
}

func firstIdent(cmd *parse.CommandNode) (string, bool) {
	if len(cmd.Args) == 0 {
		return "", false
	}
	id, ok := cmd.Args[0].(*parse.IdentifierNode)
	if !ok {
		return "", false
	}
	return id.Ident, true
}

var contextLineRE = regexp.MustCompile(`:(\d+):\d+$`)

// nodeLine is the template line of a node.
func nodeLine(tree *parse.Tree, n parse.Node) int {
	loc, _ := tree.ErrorContext(n)
	if m := contextLineRE.FindStringSubmatch(loc); m != nil {
		if l, err := strconv.Atoi(m[1]); err == nil {
			return l
		}
	}
	return 0
}

// CheckResources checks the resources templates read with record and records against each
// vendor's stored resources (resources returns them; the server infers them): an unknown name, a
// collection read without an id, a singleton read with one or listed with records, an odd number
// of records' FIELD VALUE arguments. Each problem names file and line. Names computed while
// rendering cannot be checked here; an unknown one fails the request that renders it.
func (s *Set) CheckResources(resources func(vendor string) []Resource) []Problem {
	var out []Problem
	for _, c := range s.scenarios {
		known := map[string]Resource{}
		var names []string
		for _, r := range resources(c.Vendor) {
			known[r.Name] = r
			names = append(names, r.Name)
		}
		sort.Strings(names)
		check := func(r *compiledRule, t *tmpl) {
			if t == nil {
				return
			}
			for _, call := range t.calls {
				if msg := checkCall(call, known, names); msg != "" {
					out = append(out, Problem{File: c.File, Line: call.line,
						Message: fmt.Sprintf("scenario %q rule %q: %s", c.Name, r.Name, msg)})
				}
			}
		}
		for _, r := range c.rules {
			resps := []*compiledRespond{r.respond}
			for _, st := range r.steps {
				resps = append(resps, st.respond)
			}
			for _, resp := range resps {
				if resp == nil {
					continue
				}
				check(r, resp.tmpl)
				for _, name := range sortedKeys(resp.headers) {
					check(r, resp.headers[name])
				}
			}
		}
	}
	return out
}

func checkCall(call stateCall, known map[string]Resource, names []string) string {
	if call.resource == "" {
		if call.args < 0 {
			return fmt.Sprintf("%s needs a resource name", call.fn)
		}
		return ""
	}
	res, ok := known[ResourceName(call.resource)]
	if !ok {
		list := "none"
		if len(names) > 0 {
			list = strings.Join(names, ", ")
		}
		return fmt.Sprintf("%s %q: the vendor has no such resource (GET /__admin/resources lists them: %s)", call.fn, call.resource, list)
	}
	switch {
	case call.fn == funcRecord && res.Singleton && call.args > 0:
		return fmt.Sprintf("record %q: %s is a singleton; read it without an id", call.resource, res.Name)
	case call.fn == funcRecord && !res.Singleton && call.args == 0:
		return fmt.Sprintf("record %q: want an id, as in record %q .PathParams.id", call.resource, call.resource)
	case call.fn == funcRecord && call.args > 1:
		return fmt.Sprintf("record %q: want one id, got %d arguments", call.resource, call.args)
	case call.fn == funcRecords && res.Singleton:
		return fmt.Sprintf("records %q: %s is a singleton; read it with record %q", call.resource, res.Name, call.resource)
	case call.fn == funcRecords && call.args%2 != 0:
		return fmt.Sprintf("records %q: want FIELD VALUE pairs after the resource, got %d arguments", call.resource, call.args)
	}
	return ""
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
