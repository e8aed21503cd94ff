package mock

import (
	"encoding/json"
	"fmt"
	"mime"
	"sort"
	"strconv"
	"strings"
	"sync"

	yaml "github.com/pb33f/go-yaml"
	"github.com/pb33f/libopenapi/datamodel/high/base"
	v3 "github.com/pb33f/libopenapi/datamodel/high/v3"

	"github.com/vendormock/vendormock/specs"
)

// responsePlan is a documented response compiled for fast answers: media types in preference
// order, examples already validated and encoded, header schemas resolved.
type responsePlan struct {
	// problems are description defects found while compiling (invalid examples), for lint.
	problems []string
	code     string // as documented: "200", "4XX", "default"
	media    []*mediaPlan
	headers  []headerPlan
}

type mediaPlan struct {
	contentType string
	schema      *base.Schema // nil when the description gives none
	example     []byte       // the default example (media example, else first of examples)
	named       map[string][]byte
	names       []string
}

type headerPlan struct {
	name    string
	schema  *base.Schema
	example string
}

// lazyPlan compiles a documented response on first use: validating examples costs time that
// start-up should not pay for responses nobody asks for.
type lazyPlan struct {
	once sync.Once
	code string
	resp *v3.Response
	plan *responsePlan
}

func (o *opRuntime) indexResponses() {
	o.responses = map[string]*lazyPlan{}
	if o.op.Op.Responses == nil {
		return
	}
	if o.op.Op.Responses.Codes != nil {
		for code, r := range o.op.Op.Responses.Codes.FromOldest() {
			o.responses[strings.ToUpper(code)] = &lazyPlan{code: code, resp: r}
		}
	}
	if d := o.op.Op.Responses.Default; d != nil {
		o.responses["DEFAULT"] = &lazyPlan{code: "default", resp: d}
	}
}

// plan returns the compiled plan documented for a status (exactly, by range, or default), or nil.
func (o *opRuntime) plan(status int) *responsePlan {
	code := strconv.Itoa(status)
	lp, ok := o.responses[code]
	if !ok {
		lp, ok = o.responses[code[:1]+"XX"]
	}
	if !ok {
		lp, ok = o.responses["DEFAULT"]
	}
	if !ok {
		return nil
	}
	lp.once.Do(func() { lp.plan = o.compilePlan(lp.code, lp.resp) })
	return lp.plan
}

func (o *opRuntime) compilePlan(code string, resp *v3.Response) *responsePlan {
	p := &responsePlan{code: code}
	if resp.Content != nil {
		for ct, mt := range resp.Content.FromOldest() {
			m := &mediaPlan{contentType: ct, named: map[string][]byte{}}
			if mt.Schema != nil {
				m.schema = o.op.Vendor.Schema(mt.Schema)
			}
			where := fmt.Sprintf("%s/responses/%s/content/%s", o.op.Pointer, code, specs.PointerEscape(ct))
			if mt.Example != nil {
				m.example = o.exampleBytes(p, m.schema, mt.Example, where+"/example")
			}
			if mt.Examples != nil {
				for name, ex := range mt.Examples.FromOldest() {
					if ex == nil || ex.Value == nil {
						continue
					}
					if b := o.exampleBytes(p, m.schema, ex.Value, where+"/examples/"+specs.PointerEscape(name)); b != nil {
						m.named[name] = b
						m.names = append(m.names, name)
						if m.example == nil {
							m.example = b
						}
					}
				}
			}
			p.media = append(p.media, m)
		}
		sort.SliceStable(p.media, func(i, j int) bool { return mediaRank(p.media[i].contentType) < mediaRank(p.media[j].contentType) })
	}
	if resp.Headers != nil {
		for name, h := range resp.Headers.FromOldest() {
			if h == nil || strings.EqualFold(name, "Content-Type") || strings.EqualFold(name, "Content-Length") {
				continue
			}
			hp := headerPlan{name: name}
			if h.Schema != nil {
				hp.schema = o.op.Vendor.Schema(h.Schema)
			}
			if h.Example != nil {
				hp.example = h.Example.Value
			}
			p.headers = append(p.headers, hp)
		}
	}
	return p
}

// exampleBytes decodes and encodes an example, keeping it only when it validates against its
// schema: an answer must always validate, even when a description's example does not.
func (o *opRuntime) exampleBytes(p *responsePlan, schema *base.Schema, n *yaml.Node, where string) []byte {
	var v any
	if err := n.Decode(&v); err != nil {
		o.vr.log.Warn("example ignored", "pointer", where, "error", err)
		p.problems = append(p.problems, where+": example cannot be decoded: "+err.Error())
		return nil
	}
	b, err := json.Marshal(specs.JSONValue(v))
	if err != nil {
		o.vr.log.Warn("example ignored", "pointer", where, "error", err)
		return nil
	}
	var norm any
	if err := json.Unmarshal(b, &norm); err != nil {
		return nil
	}
	if schema != nil {
		if f := o.vr.val.Value(schema, norm); len(f) > 0 {
			o.vr.log.Warn("example ignored: it does not validate against its schema", "pointer", where, "problem", f[0].String())
			p.problems = append(p.problems, where+": example does not validate: "+f[0].String())
			return nil
		}
	}
	out, err := marshal(norm)
	if err != nil {
		return nil
	}
	return out
}

// mediaRank prefers JSON, then other structured types, then the rest.
func mediaRank(ct string) int {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		mt = ct
	}
	switch {
	case mt == "application/json":
		return 0
	case strings.HasSuffix(mt, "+json") || strings.HasSuffix(mt, "/json"):
		return 1
	case strings.Contains(mt, "*"):
		return 3
	}
	return 2
}

// negotiate picks the media type for an Accept header: the first documented type the client
// accepts, in our preference order; nil when none is acceptable.
func (p *responsePlan) negotiate(accept string) *mediaPlan {
	if len(p.media) == 0 {
		return nil
	}
	if strings.TrimSpace(accept) == "" {
		return p.media[0]
	}
	for _, m := range p.media {
		if accepts(accept, m.contentType) {
			return m
		}
	}
	return nil
}

func accepts(accept, ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		mt = ct
	}
	typ, sub, _ := strings.Cut(mt, "/")
	for _, part := range strings.Split(accept, ",") {
		a, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if q := qValue(params); q == 0 {
			continue
		}
		at, as, _ := strings.Cut(strings.ToLower(strings.TrimSpace(a)), "/")
		if (at == "*" || at == typ || typ == "*") && (as == "*" || as == sub || sub == "*") {
			return true
		}
	}
	return false
}

func qValue(params string) float64 {
	for _, p := range strings.Split(params, ";") {
		k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
		if ok && strings.EqualFold(k, "q") {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				return f
			}
		}
	}
	return 1
}
