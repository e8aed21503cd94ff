package scenarios

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"

	"github.com/vendormock/vendormock/internal/parallel"
	"github.com/vendormock/vendormock/specs"
	"github.com/vendormock/vendormock/specs/validate"
)

// bundled holds the scenario files shipped with vendormock, one folder per vendor.
//
//go:embed */*.yaml
var bundled embed.FS

// Source is a tree of scenario files: <vendor>/*.yaml, and *.yaml files at the top that name
// their vendor with a vendor key.
type Source struct {
	FS fs.FS
	// Display prefixes file names in messages.
	Display string
	// Bundled sources skip vendors the catalog does not hold (a user serving only their own
	// description); other sources report them as unknown.
	Bundled bool
}

// Bundled is the source of the scenario files shipped with vendormock.
func Bundled() Source { return Source{FS: bundled, Display: "scenarios", Bundled: true} }

// Dir is a source of scenario files in a directory (--scenarios DIR).
func Dir(dir string) Source { return Source{FS: os.DirFS(dir), Display: strings.TrimSuffix(dir, "/")} }

// Set is every loaded scenario, checked against a catalog. It is immutable; an Engine holds the
// runtime state.
type Set struct {
	cat       *specs.Catalog
	scenarios []*compiled // sorted by vendor, then name
	byKey     map[string]*compiled
}

// Scenarios returns the loaded scenarios sorted by vendor and name.
func (s *Set) Scenarios() []*Scenario {
	out := make([]*Scenario, len(s.scenarios))
	for i, c := range s.scenarios {
		out[i] = c.Scenario
	}
	return out
}

// Lookup finds a scenario by vendor and name.
func (s *Set) Lookup(vendor, name string) (*Scenario, error) {
	c, ok := s.byKey[vendor+"/"+name]
	if !ok {
		return nil, fmt.Errorf("vendor %q: scenario %q: %w", vendor, name, ErrUnknownScenario)
	}
	return c.Scenario, nil
}

// Load reads every source in order and checks the scenarios against the catalog. A scenario of a
// later source replaces one of the same vendor and name from an earlier source (users can override
// a bundled scenario); the same name twice within one source is an error. The error, when not nil,
// is an *Error listing every problem with file and line.
func Load(ctx context.Context, cat *specs.Catalog, sources []Source) (*Set, []Warning, error) {
	if cat == nil {
		return nil, nil, errors.New("scenarios: no catalog")
	}
	l := &loader{cat: cat, validators: map[string]*validate.Validator{}, set: &Set{cat: cat, byKey: map[string]*compiled{}}}
	for _, src := range sources {
		if err := l.source(ctx, src); err != nil {
			return nil, nil, err
		}
	}
	if len(l.problems) > 0 {
		return nil, l.warnings, &Error{Problems: l.problems}
	}
	for _, c := range l.set.byKey {
		l.set.scenarios = append(l.set.scenarios, c)
	}
	sort.Slice(l.set.scenarios, func(i, j int) bool {
		a, b := l.set.scenarios[i], l.set.scenarios[j]
		if a.Vendor != b.Vendor {
			return a.Vendor < b.Vendor
		}
		return a.Name < b.Name
	})
	return l.set, l.warnings, nil
}

type loader struct {
	cat        *specs.Catalog
	set        *Set
	validators map[string]*validate.Validator
	problems   []Problem
	warnings   []Warning
}

func (l *loader) source(ctx context.Context, src Source) error {
	var files []string
	for _, pattern := range []string{"*.yaml", "*.yml", "*/*.yaml", "*/*.yml"} {
		m, err := fs.Glob(src.FS, pattern)
		if err != nil {
			return fmt.Errorf("scenarios: %s: %w", src.Display, err)
		}
		files = append(files, m...)
	}
	sort.Strings(files)
	inSource := map[string]string{}
	var jobs []compileJob
	for _, name := range files {
		if err := ctx.Err(); err != nil {
			return err
		}
		display := path.Join(src.Display, name)
		data, err := fs.ReadFile(src.FS, name)
		if err != nil {
			l.problems = append(l.problems, Problem{File: display, Message: fmt.Sprintf("cannot read: %v", err)})
			continue
		}
		vendor := ""
		if dir := path.Dir(name); dir != "." {
			vendor = dir
		}
		f, err := Parse(display, vendor, data)
		if err != nil {
			var e *Error
			if errors.As(err, &e) {
				l.problems = append(l.problems, e.Problems...)
				continue
			}
			return err
		}
		v, err := l.cat.Vendor(f.Vendor)
		if err != nil {
			if !src.Bundled {
				l.problems = append(l.problems, Problem{File: display, Line: 1, Message: fmt.Sprintf("unknown vendor %q (loaded: %s)", f.Vendor, l.vendorNames())})
			}
			continue
		}
		for _, sc := range f.Scenarios {
			key := sc.Vendor + "/" + sc.Name
			if prev, dup := inSource[key]; dup {
				l.problems = append(l.problems, Problem{File: display, Line: sc.Line, Message: fmt.Sprintf("scenario %q of %s is also defined in %s", sc.Name, sc.Vendor, prev)})
				continue
			}
			inSource[key] = fmt.Sprintf("%s:%d", display, sc.Line)
			l.validator(v) // built here, so the parallel compile below only reads the map
			jobs = append(jobs, compileJob{v: v, sc: sc, key: key, problemsBefore: len(l.problems)})
		}
	}
	return l.compileAll(jobs)
}

// compileJob is one scenario to compile; problemsBefore places its problems among the parse
// problems of the files around it, so the report keeps file order.
type compileJob struct {
	v              *specs.Vendor
	sc             *Scenario
	key            string
	problemsBefore int
	c              *compiled
	problems       []Problem
	warnings       []Warning
}

// compileAll compiles the scenarios of a source, each vendor's on its own core (checking bodies
// against the schemas is most of loading), and merges the results in file order.
func (l *loader) compileAll(jobs []compileJob) error {
	var vendors []string
	byVendor := map[string][]int{}
	for i, j := range jobs {
		if _, ok := byVendor[j.v.Name]; !ok {
			vendors = append(vendors, j.v.Name)
		}
		byVendor[j.v.Name] = append(byVendor[j.v.Name], i)
	}
	// The vendor with the most operations first: resolving matches against it takes longest.
	ops := func(name string) int64 { return int64(len(jobs[byVendor[name][0]].v.Operations)) }
	_, err := parallel.MapHeaviestFirst(vendors, ops, func(name string) (struct{}, error) {
		for _, i := range byVendor[name] {
			sub := &loader{cat: l.cat, validators: l.validators}
			jobs[i].c = sub.compile(jobs[i].v, jobs[i].sc)
			jobs[i].problems, jobs[i].warnings = sub.problems, sub.warnings
		}
		return struct{}{}, nil
	})
	if err != nil {
		return err
	}
	parsed := l.problems
	l.problems = nil
	next := 0
	for _, j := range jobs {
		l.problems = append(l.problems, parsed[next:j.problemsBefore]...)
		next = j.problemsBefore
		l.problems = append(l.problems, j.problems...)
		l.warnings = append(l.warnings, j.warnings...)
		if j.c != nil {
			l.set.byKey[j.key] = j.c
		}
	}
	l.problems = append(l.problems, parsed[next:]...)
	return nil
}

func (l *loader) vendorNames() string { return strings.Join(l.cat.Names(), ", ") }

func (l *loader) problem(sc *Scenario, line int, format string, args ...any) {
	l.problems = append(l.problems, Problem{File: sc.File, Line: line, Message: fmt.Sprintf(format, args...)})
}

func (l *loader) validator(v *specs.Vendor) *validate.Validator {
	val, ok := l.validators[v.Name]
	if !ok {
		val = validate.New(v, validate.Options{})
		l.validators[v.Name] = val
	}
	return val
}

// compile resolves a scenario's matches against the vendor and checks its answers.
func (l *loader) compile(v *specs.Vendor, sc *Scenario) *compiled {
	c := &compiled{Scenario: sc}
	ok := true
	for i, r := range sc.Rules {
		cr := &compiledRule{Rule: r, scenario: c, index: i}
		ops, err := resolve(v, r.Match)
		if err != nil {
			l.problem(sc, r.Match.Line, "scenario %q rule %q: %v", sc.Name, r.Name, err)
			ok = false
			continue
		}
		cr.ops = ops
		if m := r.Match; len(m.Operations) > 0 || m.Method != "" || m.Path != "" || m.Kind != "" {
			cr.opIDs = make(map[string]bool, len(ops))
			for _, op := range ops {
				cr.opIDs[op.ID] = true
			}
		}
		cr.specificity = specificity(r.Match)
		if r.Respond != nil {
			cr.respond = l.compileRespond(v, sc, r, r.Respond, ops)
		}
		for _, st := range r.Sequence {
			cs := &compiledStep{Step: st}
			if st.Respond != nil {
				cs.respond = l.compileRespond(v, sc, r, st.Respond, ops)
			}
			cr.steps = append(cr.steps, cs)
		}
		c.rules = append(c.rules, cr)
	}
	if !ok {
		return nil
	}
	return c
}

func (l *loader) compileRespond(v *specs.Vendor, sc *Scenario, r *Rule, resp *Respond, ops []*specs.Operation) *compiledRespond {
	// Templates were parsed (and their errors reported) by Parse.
	cr := &compiledRespond{Respond: resp, headers: resp.headerTmpls, tmpl: resp.bodyTmpl}
	if resp.Template != "" && cr.tmpl == nil {
		cr.body = []byte(resp.Template)
	}
	if resp.HasBody {
		b, err := json.Marshal(resp.Body)
		if err != nil {
			l.problem(sc, resp.Line, "scenario %q rule %q: body cannot be encoded as JSON: %v", sc.Name, r.Name, err)
			return cr
		}
		cr.body = b
	}
	var undocumented []string
	for _, op := range ops {
		if !op.Documents(resp.Status) {
			undocumented = append(undocumented, op.ID)
			continue
		}
		if !resp.HasBody {
			continue
		}
		schema := jsonSchema(op, resp.Status)
		if schema == nil {
			continue
		}
		if f := l.validator(v).Value(schema, resp.Body); len(f) > 0 {
			l.problem(sc, resp.Line, "scenario %q rule %q: body does not validate against the %d response of %s: %s",
				sc.Name, r.Name, resp.Status, op.ID, f[0].String())
			break
		}
	}
	if len(undocumented) > 0 {
		l.warnings = append(l.warnings, Warning{File: sc.File, Line: resp.Line, Message: fmt.Sprintf(
			"scenario %q rule %q answers %d, which %d of %d matched operations do not document (%s)",
			sc.Name, r.Name, resp.Status, len(undocumented), len(ops), abbreviate(undocumented, 3))})
	}
	return cr
}

func abbreviate(names []string, n int) string {
	if len(names) <= n {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(names[:n], ", "), len(names)-n)
}
