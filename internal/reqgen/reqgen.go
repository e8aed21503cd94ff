// Package reqgen builds a valid request for an operation from its description: documented
// examples first, then values generated from the schemas. The mock's self-check and the
// contract runner both send what it builds.
//
// reqgen imports specs and mock/fake only.
package reqgen

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"sort"
	"strings"

	yaml "github.com/pb33f/go-yaml"
	"github.com/pb33f/libopenapi/datamodel/high/base"
	v3 "github.com/pb33f/libopenapi/datamodel/high/v3"

	"github.com/vendormock/vendormock/mock/fake"
	"github.com/vendormock/vendormock/specs"
)

// Request is a request ready to send, relative to a base URL.
type Request struct {
	Method string
	// Path is the filled-in path template (escaped), relative to the vendor's base.
	Path        string
	Query       url.Values
	Header      http.Header
	Body        []byte
	ContentType string
}

// URL joins the request's path and query onto a base ("http://127.0.0.1:4010/heydonto").
func (r *Request) URL(base string) string {
	u := strings.TrimSuffix(base, "/") + r.Path
	if len(r.Query) > 0 {
		u += "?" + r.Query.Encode()
	}
	return u
}

// Credentials says what to send for security schemes; empty fields get placeholder values.
type Credentials struct {
	// Values maps a security scheme name to the raw credential: a token for bearer/oauth2, a
	// "user:password" for basic, the key for apiKey.
	Values map[string]string
	// Omit sends no credentials at all (for checks that expect 401).
	Omit bool
}

// Builder builds requests for the operations of one vendor.
type Builder struct {
	gen *fake.Generator
}

// New returns a Builder whose generated values come from gen.
func New(gen *fake.Generator) *Builder { return &Builder{gen: gen} }

// Build makes a valid request for op. Optional parameters are left out; required ones and the
// body (for operations that document one) are filled in.
func (b *Builder) Build(op *specs.Operation, creds Credentials, overrides map[string]string) (*Request, error) {
	r := &Request{Method: op.Method, Query: url.Values{}, Header: http.Header{}}
	key := op.Vendor.Name + "/" + op.ID + "/request"
	path := op.Path
	for _, p := range op.Params {
		required := p.Required != nil && *p.Required
		val, has := overrides[p.In+"."+p.Name]
		if !required && !has {
			continue
		}
		var v any
		if has {
			v = val
		} else {
			v = b.paramValue(p, key+"/"+p.In+"/"+p.Name)
		}
		switch p.In {
		case "path":
			path = strings.ReplaceAll(path, "{"+p.Name+"}", url.PathEscape(scalar(v)))
		case "query":
			addQuery(r.Query, p, v)
		case "header":
			r.Header.Set(p.Name, serialize(v))
		case "cookie":
			r.Header.Add("Cookie", p.Name+"="+url.QueryEscape(scalar(v)))
		}
	}
	r.Path = path
	if !creds.Omit {
		if err := b.addCredentials(r, op, creds); err != nil {
			return nil, err
		}
	}
	if rb := op.Op.RequestBody; rb != nil && rb.Content != nil && rb.Content.Len() > 0 {
		if err := b.addBody(r, rb, key+"/body"); err != nil {
			return nil, fmt.Errorf("%s: %w", op, err)
		}
	}
	return r, nil
}

func (b *Builder) paramValue(p *v3.Parameter, key string) any {
	if p.Example != nil {
		if v, ok := decode(p.Example); ok {
			return v
		}
	}
	if p.Examples != nil {
		for _, ex := range p.Examples.FromOldest() {
			if ex != nil && ex.Value != nil {
				if v, ok := decode(ex.Value); ok {
					return v
				}
			}
		}
	}
	var s *base.Schema
	if p.Schema != nil {
		s = p.Schema.Schema()
	}
	if s == nil && p.Content != nil {
		for _, mt := range p.Content.FromOldest() {
			if mt.Schema != nil {
				s = mt.Schema.Schema()
				break
			}
		}
	}
	if s == nil {
		return "x"
	}
	return b.gen.Generate(s, key, fake.Request)
}

func decode(n *yaml.Node) (any, bool) {
	var v any
	if err := n.Decode(&v); err != nil {
		return nil, false
	}
	return v, true
}

// addQuery serializes a query parameter: form style (exploded arrays repeat the key, objects
// spread their properties), deepObject as name[prop]=value.
func addQuery(q url.Values, p *v3.Parameter, v any) {
	explode := p.Explode == nil || *p.Explode
	switch t := v.(type) {
	case []any:
		if explode && p.Style != "spaceDelimited" && p.Style != "pipeDelimited" {
			for _, x := range t {
				q.Add(p.Name, scalar(x))
			}
			return
		}
		sep := ","
		switch p.Style {
		case "spaceDelimited":
			sep = " "
		case "pipeDelimited":
			sep = "|"
		}
		parts := make([]string, len(t))
		for i, x := range t {
			parts[i] = scalar(x)
		}
		q.Set(p.Name, strings.Join(parts, sep))
	case map[string]any:
		keys := sortedKeys(t)
		for _, k := range keys {
			switch {
			case p.Style == "deepObject":
				q.Set(p.Name+"["+k+"]", scalar(t[k]))
			case explode:
				q.Set(k, scalar(t[k]))
			}
		}
		if p.Style != "deepObject" && !explode {
			var parts []string
			for _, k := range keys {
				parts = append(parts, k, scalar(t[k]))
			}
			q.Set(p.Name, strings.Join(parts, ","))
		}
	default:
		q.Set(p.Name, scalar(v))
	}
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// scalar renders a primitive the way it travels in a URL.
func scalar(v any) string {
	switch t := v.(type) {
	case nil:
		return ""
	case string:
		return t
	case float64:
		return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%f", t), "0"), ".")
	case map[string]any, []any:
		return serialize(t)
	}
	return fmt.Sprint(v)
}

func serialize(v any) string {
	switch v.(type) {
	case map[string]any, []any:
		b, err := json.Marshal(v)
		if err != nil {
			return ""
		}
		return string(b)
	}
	return scalar(v)
}

func (b *Builder) addCredentials(r *Request, op *specs.Operation, creds Credentials) error {
	if len(op.Security) == 0 {
		return nil
	}
	req := op.Security[0]
	if req == nil || req.Requirements == nil {
		return nil
	}
	comps := op.Vendor.Model.Components
	for name := range req.Requirements.KeysFromOldest() {
		if comps == nil || comps.SecuritySchemes == nil {
			return fmt.Errorf("%s: security scheme %q is not defined", op, name)
		}
		ss, ok := comps.SecuritySchemes.Get(name)
		if !ok {
			return fmt.Errorf("%s: security scheme %q is not defined", op, name)
		}
		val := creds.Values[name]
		switch strings.ToLower(ss.Type) {
		case "http":
			switch strings.ToLower(ss.Scheme) {
			case "basic":
				if val == "" {
					val = "vendormock:vendormock"
				}
				r.Header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(val)))
			default:
				if val == "" {
					val = "vendormock-test-token"
				}
				word := ss.Scheme
				if strings.EqualFold(word, "bearer") {
					word = "Bearer"
				}
				r.Header.Set("Authorization", word+" "+val)
			}
		case "oauth2", "openidconnect":
			if val == "" {
				val = "vendormock-test-token"
			}
			r.Header.Set("Authorization", "Bearer "+val)
		case "apikey":
			if val == "" {
				val = "vendormock-test-key"
			}
			switch strings.ToLower(ss.In) {
			case "header":
				r.Header.Set(ss.Name, val)
			case "query":
				r.Query.Set(ss.Name, val)
			case "cookie":
				r.Header.Add("Cookie", ss.Name+"="+url.QueryEscape(val))
			}
		}
	}
	return nil
}

// addBody picks a media type (JSON first) and fills it with the example or a generated value.
func (b *Builder) addBody(r *Request, rb *v3.RequestBody, key string) error {
	var (
		ct string
		mt *v3.MediaType
	)
	best := 99
	for c, m := range rb.Content.FromOldest() {
		if rank := bodyRank(c); rank < best {
			best, ct, mt = rank, c, m
		}
	}
	var s *base.Schema
	if mt.Schema != nil {
		s = mt.Schema.Schema()
	}
	var v any
	switch {
	case mt.Example != nil:
		v, _ = decode(mt.Example)
	case mt.Examples != nil && mt.Examples.Len() > 0:
		for _, ex := range mt.Examples.FromOldest() {
			if ex != nil && ex.Value != nil {
				v, _ = decode(ex.Value)
				break
			}
		}
	}
	if v == nil && s != nil {
		v = b.gen.Generate(s, key, fake.Request)
	}
	r.ContentType = ct
	base, _, _ := strings.Cut(ct, ";")
	base = strings.TrimSpace(strings.ToLower(base))
	switch {
	case strings.HasSuffix(base, "json") || strings.Contains(base, "*"):
		if strings.Contains(base, "*") {
			r.ContentType = "application/json"
		}
		body, err := json.Marshal(v)
		if err != nil {
			return fmt.Errorf("encode body: %w", err)
		}
		r.Body = body
	case base == "application/x-www-form-urlencoded":
		form := url.Values{}
		if m, ok := v.(map[string]any); ok {
			for _, k := range sortedKeys(m) {
				form.Set(k, serialize(m[k]))
			}
		}
		r.Body = []byte(form.Encode())
	case strings.HasPrefix(base, "multipart/"):
		var buf bytes.Buffer
		w := multipart.NewWriter(&buf)
		if m, ok := v.(map[string]any); ok {
			for _, k := range sortedKeys(m) {
				if err := w.WriteField(k, serialize(m[k])); err != nil {
					return fmt.Errorf("encode multipart: %w", err)
				}
			}
		}
		if err := w.Close(); err != nil {
			return fmt.Errorf("encode multipart: %w", err)
		}
		r.Body = buf.Bytes()
		r.ContentType = w.FormDataContentType()
	default:
		r.Body = []byte(scalar(v))
	}
	r.Header.Set("Content-Type", r.ContentType)
	return nil
}

func bodyRank(ct string) int {
	c := strings.ToLower(ct)
	switch {
	case strings.HasPrefix(c, "application/json"):
		return 0
	case strings.Contains(c, "json"):
		return 1
	case strings.HasPrefix(c, "application/x-www-form-urlencoded"):
		return 2
	case strings.HasPrefix(c, "multipart/"):
		return 3
	}
	return 4
}
