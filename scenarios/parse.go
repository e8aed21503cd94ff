package scenarios

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	yaml "github.com/pb33f/go-yaml"

	"github.com/vendormock/vendormock/specs"
)

// Parse reads one scenario file. vendor is the vendor implied by the file's folder ("" when the
// file must name its vendor). Every problem is reported with file and line, in one *Error.
func Parse(file, vendor string, data []byte) (*File, error) {
	p := &parser{file: file}
	f := &File{Path: file, Vendor: vendor}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		p.add(yamlErrorLine(err), "invalid YAML: %s", strings.TrimPrefix(err.Error(), "yaml: "))
		return nil, p.err()
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		p.add(1, "empty file: want a mapping with a scenarios list")
		return nil, p.err()
	}
	root := doc.Content[0]
	keys := p.mapping(root, "file", "vendor", "scenarios")
	if keys == nil {
		return nil, p.err()
	}
	if n := keys["vendor"]; n != nil {
		f.Vendor = p.str(n, "vendor")
	}
	if f.Vendor == "" && keys["vendor"] == nil {
		p.add(root.Line, "no vendor: put the file in a folder named after the vendor or add a vendor key")
	}
	list := keys["scenarios"]
	if list == nil {
		p.add(root.Line, "missing key scenarios")
		return nil, p.err()
	}
	if list.Kind != yaml.SequenceNode {
		p.add(list.Line, "scenarios: want a list, got %s", kindName(list))
		return nil, p.err()
	}
	seen := map[string]int{}
	for _, n := range list.Content {
		sc := p.scenario(n, f.Vendor)
		if sc == nil {
			continue
		}
		if prev, dup := seen[sc.Name]; dup {
			p.add(sc.Line, "scenario %q is also defined at line %d", sc.Name, prev)
			continue
		}
		seen[sc.Name] = sc.Line
		f.Scenarios = append(f.Scenarios, sc)
	}
	if err := p.err(); err != nil {
		return nil, err
	}
	return f, nil
}

var lineRE = regexp.MustCompile(`(?:line |\bL)(\d+)`)

func yamlErrorLine(err error) int {
	// The last position is where the parser gave up, the closest to the mistake.
	if all := lineRE.FindAllStringSubmatch(err.Error(), -1); all != nil {
		if n, e := strconv.Atoi(all[len(all)-1][1]); e == nil {
			return n
		}
	}
	return 1
}

var nameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*$`)

func (p *parser) scenario(n *yaml.Node, vendor string) *Scenario {
	keys := p.mapping(n, "scenario", "name", "description", "rules")
	if keys == nil {
		return nil
	}
	sc := &Scenario{Vendor: vendor, File: p.file, Line: n.Line}
	if k := keys["name"]; k != nil {
		sc.Name = p.str(k, "scenario name")
		sc.Line = k.Line
		if sc.Name != "" && !nameRE.MatchString(sc.Name) {
			p.add(k.Line, "scenario name %q: use lower-case letters, digits, '.', '_' and '-'", sc.Name)
		}
	} else {
		p.add(n.Line, "scenario: missing key name")
	}
	if k := keys["description"]; k != nil {
		sc.Description = p.str(k, "description")
	}
	rules := keys["rules"]
	switch {
	case rules == nil:
		p.add(n.Line, "scenario %q: missing key rules", sc.Name)
	case rules.Kind != yaml.SequenceNode || len(rules.Content) == 0:
		p.add(rules.Line, "scenario %q: rules: want a non-empty list", sc.Name)
	default:
		for i, rn := range rules.Content {
			if r := p.rule(rn, sc.Name, i); r != nil {
				sc.Rules = append(sc.Rules, r)
			}
		}
	}
	return sc
}

func (p *parser) rule(n *yaml.Node, scenario string, index int) *Rule {
	keys := p.mapping(n, "rule", "name", "match", "respond", "fault", "delay", "times", "probability",
		"rate_limit", "sequence", "cycle", "pagination")
	if keys == nil {
		return nil
	}
	r := &Rule{Name: "rule-" + strconv.Itoa(index+1), Line: n.Line}
	if k := keys["name"]; k != nil {
		r.Name = p.str(k, "rule name")
	}
	what := fmt.Sprintf("scenario %q rule %q", scenario, r.Name)
	if k := keys["match"]; k != nil {
		r.Match = p.match(k, what+": match")
	}
	if k := keys["respond"]; k != nil {
		r.Respond = p.respond(k, what+": respond")
	}
	if k := keys["fault"]; k != nil {
		r.Fault = p.oneOf(k, what+": fault", FaultReset, FaultEmpty, FaultTruncated, FaultMalformed, FaultHang)
	}
	if k := keys["delay"]; k != nil {
		r.Delay = p.delay(k, what+": delay")
	}
	if k := keys["times"]; k != nil {
		r.Times = p.integer(k, what+": times", 1, math.MaxInt32)
	}
	if k := keys["probability"]; k != nil {
		f, err := strconv.ParseFloat(k.Value, 64)
		if k.Kind != yaml.ScalarNode || err != nil || f < 0 || f > 1 {
			p.add(k.Line, "%s: probability: want a number from 0 to 1, got %s", what, kindName(k))
		} else {
			r.Probability = &f
		}
	}
	if k := keys["rate_limit"]; k != nil {
		r.RateLimit = p.rateLimit(k, what+": rate_limit")
	}
	if k := keys["sequence"]; k != nil {
		if k.Kind != yaml.SequenceNode || len(k.Content) == 0 {
			p.add(k.Line, "%s: sequence: want a non-empty list of steps", what)
		} else {
			for _, sn := range k.Content {
				if s := p.step(sn, what+": sequence step"); s != nil {
					r.Sequence = append(r.Sequence, s)
				}
			}
		}
	}
	if k := keys["cycle"]; k != nil {
		r.Cycle = p.boolean(k, what+": cycle")
		if keys["sequence"] == nil {
			p.add(k.Line, "%s: cycle needs a sequence", what)
		}
	}
	if k := keys["pagination"]; k != nil {
		r.Pagination = p.pagination(k, what+": pagination")
	}
	switch {
	case r.Respond != nil && r.Fault != "":
		p.add(n.Line, "%s: give respond or fault, not both", what)
	case r.Sequence != nil && (r.Respond != nil || r.Fault != ""):
		p.add(n.Line, "%s: a sequence replaces respond and fault; put them in its steps", what)
	case r.Respond == nil && r.Fault == "" && r.Delay == nil && r.Sequence == nil && r.RateLimit == nil && r.Pagination == nil:
		p.add(n.Line, "%s: does nothing: give respond, fault, delay, sequence, rate_limit or pagination", what)
	}
	return r
}

func (p *parser) match(n *yaml.Node, what string) Match {
	m := Match{Line: n.Line}
	keys := p.mapping(n, what, "operations", "operation", "method", "path", "kind", "query", "header", "body")
	if keys == nil {
		return m
	}
	for _, k := range []string{"operations", "operation"} {
		if v := keys[k]; v != nil {
			m.Operations = append(m.Operations, p.strings(v, what+"."+k)...)
		}
	}
	if v := keys["method"]; v != nil {
		m.Method = strings.ToUpper(p.oneOf(v, what+".method", "GET", "PUT", "POST", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE",
			"get", "put", "post", "delete", "patch", "head", "options", "trace"))
	}
	if v := keys["path"]; v != nil {
		m.Path = p.str(v, what+".path")
		if m.Path != "" && !strings.HasPrefix(m.Path, "/") {
			p.add(v.Line, "%s.path: %q must start with /", what, m.Path)
		}
	}
	if v := keys["kind"]; v != nil {
		m.Kind = p.oneOf(v, what+".kind", KindList, KindRead)
	}
	if v := keys["query"]; v != nil {
		m.Query = p.stringMap(v, what+".query")
	}
	if v := keys["header"]; v != nil {
		m.Header = p.stringMap(v, what+".header")
	}
	if v := keys["body"]; v != nil {
		m.Body = p.stringMap(v, what+".body")
	}
	if len(m.Operations) > 0 && (m.Path != "" || m.Method != "") {
		p.add(n.Line, "%s: give operations or method and path, not both", what)
	}
	return m
}

func (p *parser) respond(n *yaml.Node, what string) *Respond {
	keys := p.mapping(n, what, "status", "headers", "body", "template", "generate", "message", "content_type")
	if keys == nil {
		return nil
	}
	r := &Respond{Line: n.Line}
	if v := keys["status"]; v != nil {
		r.Status = p.integer(v, what+".status", 100, 599)
	} else {
		p.add(n.Line, "%s: missing key status", what)
	}
	if v := keys["headers"]; v != nil {
		r.Headers = p.stringMap(v, what+".headers")
		r.headerTmpls = map[string]*tmpl{}
		for i := 0; i+1 < len(v.Content); i += 2 {
			k, val := v.Content[i], v.Content[i+1]
			if _, ok := r.Headers[k.Value]; !ok {
				continue
			}
			t, line, err := parseTemplate(k.Value, val.Value, textPos{line: val.Line, block: val.Style&yaml.LiteralStyle != 0})
			if err != nil {
				p.add(line, "%s.headers.%s: %v", what, k.Value, err)
			} else if t != nil {
				r.headerTmpls[k.Value] = t
			}
		}
	}
	if v := keys["body"]; v != nil {
		var body any
		if err := v.Decode(&body); err != nil {
			p.add(v.Line, "%s.body: %v", what, err)
		}
		r.Body, r.HasBody = specs.JSONValue(body), true
	}
	if v := keys["template"]; v != nil {
		r.Template = p.str(v, what+".template")
		t, line, err := parseTemplate("body", r.Template, textPos{line: v.Line, block: v.Style&yaml.LiteralStyle != 0})
		if err != nil {
			p.add(line, "%s.template: %v", what, err)
		}
		r.bodyTmpl = t
	}
	if v := keys["generate"]; v != nil {
		r.Generate = p.boolean(v, what+".generate")
	}
	if v := keys["message"]; v != nil {
		r.Message = p.str(v, what+".message")
	}
	if v := keys["content_type"]; v != nil {
		r.ContentType = p.str(v, what+".content_type")
	}
	n2 := 0
	for _, b := range []bool{r.HasBody, r.Template != "", r.Generate} {
		if b {
			n2++
		}
	}
	if n2 > 1 {
		p.add(n.Line, "%s: give one of body, template and generate", what)
	}
	return r
}

func (p *parser) delay(n *yaml.Node, what string) *Delay {
	if n.Kind == yaml.ScalarNode {
		d := p.duration(n, what)
		return &Delay{Min: d, Max: d}
	}
	keys := p.mapping(n, what, "min", "max")
	if keys == nil {
		return nil
	}
	if keys["min"] == nil || keys["max"] == nil {
		p.add(n.Line, "%s: a range needs min and max", what)
		return nil
	}
	d := &Delay{Min: p.duration(keys["min"], what+".min"), Max: p.duration(keys["max"], what+".max")}
	if d.Max < d.Min {
		p.add(n.Line, "%s: max %s is below min %s", what, d.Max, d.Min)
	}
	return d
}

func (p *parser) rateLimit(n *yaml.Node, what string) *RateLimit {
	keys := p.mapping(n, what, "requests", "window", "per")
	if keys == nil {
		return nil
	}
	rl := &RateLimit{Per: PerClient}
	if v := keys["requests"]; v != nil {
		rl.Requests = p.integer(v, what+".requests", 0, math.MaxInt32)
	} else {
		p.add(n.Line, "%s: missing key requests", what)
	}
	if v := keys["window"]; v != nil {
		rl.Window = p.duration(v, what+".window")
		if rl.Window == 0 {
			p.add(v.Line, "%s.window: must be longer than 0", what)
		}
	} else {
		p.add(n.Line, "%s: missing key window", what)
	}
	if v := keys["per"]; v != nil {
		rl.Per = p.oneOf(v, what+".per", PerClient, PerCredential, PerSession, PerAddress, PerGlobal)
	}
	return rl
}

func (p *parser) step(n *yaml.Node, what string) *Step {
	keys := p.mapping(n, what, "respond", "fault", "delay", "pass")
	if keys == nil {
		return nil
	}
	s := &Step{Line: n.Line}
	if v := keys["respond"]; v != nil {
		s.Respond = p.respond(v, what+": respond")
	}
	if v := keys["fault"]; v != nil {
		s.Fault = p.oneOf(v, what+": fault", FaultReset, FaultEmpty, FaultTruncated, FaultMalformed, FaultHang)
	}
	if v := keys["delay"]; v != nil {
		s.Delay = p.delay(v, what+": delay")
	}
	if v := keys["pass"]; v != nil {
		s.Pass = p.boolean(v, what+": pass")
	}
	given := 0
	for _, b := range []bool{keys["respond"] != nil, keys["fault"] != nil, s.Pass} {
		if b {
			given++
		}
	}
	if given != 1 && !(given == 0 && s.Delay != nil) {
		p.add(n.Line, "%s: give exactly one of respond, fault and pass: true", what)
	}
	return s
}

func (p *parser) pagination(n *yaml.Node, what string) *Pagination {
	keys := p.mapping(n, what, "style", "page_size", "max_page_size", "total")
	if keys == nil {
		return nil
	}
	pg := &Pagination{}
	if v := keys["style"]; v != nil {
		pg.Style = p.str(v, what+".style")
	}
	if v := keys["page_size"]; v != nil {
		pg.PageSize = p.integer(v, what+".page_size", 1, math.MaxInt32)
	}
	if v := keys["max_page_size"]; v != nil {
		pg.MaxPageSize = p.integer(v, what+".max_page_size", 1, math.MaxInt32)
	}
	if v := keys["total"]; v != nil {
		t := p.integer(v, what+".total", 0, 1_000_000)
		pg.Total = &t
	}
	if pg.PageSize > 0 && pg.MaxPageSize > 0 && pg.PageSize > pg.MaxPageSize {
		p.add(n.Line, "%s: page_size %d is above max_page_size %d", what, pg.PageSize, pg.MaxPageSize)
	}
	return pg
}
