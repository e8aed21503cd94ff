package specs_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/pb33f/libopenapi/datamodel/high/base"

	"github.com/vendormock/vendormock/specs"
)

// seedsDir holds the vendor documents the project started from; CI has ../shared beside the repo.
const seedsDir = "../../shared/seeds"

// seedEndpoint is one endpoint a seed document shows, with the names it uses.
type seedEndpoint struct {
	file, vendor, method, path string
	query                      []string
	body                       []string
}

// docHosts maps the vendors' documentation mock-server prefixes to our vendor names.
var docHosts = map[string]string{
	"/_mock/apis/heydonto/openapi":       "heydonto",
	"/_mock/apis/authentication/openapi": "heydonto-auth",
	"/_mock/apis/public-api/openapi":     "herohealth",
}

var (
	curlRe     = regexp.MustCompile(`(?s)^(GET|POST|PUT|PATCH|DELETE)\s*\\?\s*'?(https://[^\s'\\]+)'?(.*)`)
	bodyRe     = regexp.MustCompile(`(?s)-d '(\{.*?\})'`)
	odRequest  = regexp.MustCompile(`(?m)^(GET|POST|PUT|DELETE) (/[A-Za-z0-9/._-]*)`)
	kanaFields = regexp.MustCompile(`(?m)^\| ([a-zA-Z_]+[a-zA-Z0-9_]*)(?: required)? \|`)
)

func readSeeds(t *testing.T) map[string]string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(seedsDir, "*.txt"))
	if err != nil || len(files) == 0 {
		if os.Getenv("CI") != "" {
			t.Fatalf("no seed documents in %s (CI clones ../shared beside the repository)", seedsDir)
		}
		t.Skipf("no seed documents in %s", seedsDir)
	}
	out := map[string]string{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out[filepath.Base(f)] = string(b)
	}
	return out
}

// seedEndpoints extracts every endpoint the seed documents show: curl examples against the
// vendors' documentation mock servers, and Open Dental's "Example Requests".
func seedEndpoints(t *testing.T, docs map[string]string) []seedEndpoint {
	var out []seedEndpoint
	for file, text := range docs {
		for _, chunk := range strings.Split(text, "curl -i -X ")[1:] {
			m := curlRe.FindStringSubmatch(chunk)
			if m == nil {
				t.Fatalf("%s: unreadable curl example: %.80s", file, chunk)
			}
			rawURL := strings.ReplaceAll(m[2], "%5B", "[")
			rawURL = strings.ReplaceAll(rawURL, "%5D", "]")
			e := seedEndpoint{file: file, method: m[1]}
			for prefix, vendor := range docHosts {
				if i := strings.Index(rawURL, prefix); i >= 0 {
					e.vendor, e.path = vendor, rawURL[i+len(prefix):]
				}
			}
			if e.vendor == "" {
				t.Fatalf("%s: curl to an unknown documentation host: %s", file, rawURL)
			}
			if p, q, ok := strings.Cut(e.path, "?"); ok {
				e.path = p
				for _, kv := range strings.Split(q, "&") {
					k, _, _ := strings.Cut(kv, "=")
					e.query = append(e.query, k)
				}
			}
			if b := bodyRe.FindStringSubmatch(m[3]); b != nil {
				var obj map[string]any
				if err := json.Unmarshal([]byte(b[1]), &obj); err != nil {
					t.Fatalf("%s: curl body of %s %s is not JSON: %v", file, e.method, e.path, err)
				}
				for k := range obj {
					e.body = append(e.body, k)
				}
			}
			out = append(out, e)
		}
		if strings.Contains(text, "Userods") { // Open Dental's request examples
			for _, m := range odRequest.FindAllStringSubmatch(text, -1) {
				out = append(out, seedEndpoint{file: file, vendor: "opendental", method: m[1], path: m[2]})
			}
		}
	}
	return out
}

// matches reports whether a concrete or templated seed path fits a description's template.
func matches(template, path string) bool {
	ts := strings.Split(strings.Trim(template, "/"), "/")
	ps := strings.Split(strings.Trim(path, "/"), "/")
	if len(ts) != len(ps) {
		return false
	}
	for i := range ts {
		if strings.HasPrefix(ts[i], "{") {
			continue
		}
		if ts[i] != ps[i] {
			return false
		}
	}
	return true
}

func propertyNames(s *base.Schema, depth int) map[string]bool {
	out := map[string]bool{}
	if s == nil || depth > 5 {
		return out
	}
	if s.Properties != nil {
		for k := range s.Properties.KeysFromOldest() {
			out[k] = true
		}
	}
	for _, group := range [][]*base.SchemaProxy{s.AllOf, s.OneOf, s.AnyOf} {
		for _, p := range group {
			for k := range propertyNames(p.Schema(), depth+1) {
				out[k] = true
			}
		}
	}
	return out
}

// TestSeedEndpointsPresent fails when an endpoint, query parameter or body field shown in the
// seed documents is missing from the bundled descriptions.
func TestSeedEndpointsPresent(t *testing.T) {
	docs := readSeeds(t)
	cat, err := specs.Load(context.Background(), specs.Bundled(), specs.Options{})
	if err != nil {
		t.Fatal(err)
	}
	endpoints := seedEndpoints(t, docs)
	if len(endpoints) < 21 {
		t.Fatalf("found only %d endpoints in the seeds; the parser is broken", len(endpoints))
	}
	t.Logf("checking %d seed endpoints", len(endpoints))
	for _, e := range endpoints {
		v, err := cat.Vendor(e.vendor)
		if err != nil {
			t.Errorf("%s: %v", e.file, err)
			continue
		}
		var op *specs.Operation
		for _, o := range v.Operations {
			if o.Method == e.method && matches(o.Path, e.path) {
				op = o
				break
			}
		}
		if op == nil {
			t.Errorf("%s: %s %s%s is not in the bundled description", e.file, e.method, v.Mount, e.path)
			continue
		}
		for _, q := range e.query {
			if op.Param("query", q) == nil {
				t.Errorf("%s: %s has no query parameter %q", e.file, op, q)
			}
		}
		if len(e.body) > 0 {
			var props map[string]bool
			if rb := op.Op.RequestBody; rb != nil && rb.Content != nil {
				if mt, ok := rb.Content.Get("application/json"); ok && mt.Schema != nil {
					props = propertyNames(mt.Schema.Schema(), 0)
				}
			}
			for _, f := range e.body {
				if !props[f] {
					t.Errorf("%s: request body of %s has no property %q", e.file, op, f)
				}
			}
		}
	}
}

// TestSeedKanaFieldsPresent checks the Kana seed's organization and practice-profile fields.
func TestSeedKanaFieldsPresent(t *testing.T) {
	docs := readSeeds(t)
	cat, err := specs.Load(context.Background(), specs.Bundled(), specs.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var text string
	for _, d := range docs {
		if strings.Contains(d, "therapist_user_id") {
			text = d
		}
	}
	if text == "" {
		t.Fatal("no Kana seed found")
	}
	v, err := cat.Vendor("kana-practice")
	if err != nil {
		t.Fatal(err)
	}
	all := map[string]bool{}
	for name, sp := range v.Model.Components.Schemas.FromOldest() {
		_ = name
		for k := range propertyNames(sp.Schema(), 0) {
			all[k] = true
		}
	}
	fields := kanaFields.FindAllStringSubmatch(text, -1)
	if len(fields) < 15 {
		t.Fatalf("found only %d Kana fields; the parser is broken", len(fields))
	}
	for _, f := range fields {
		if f[1] == "id" || f[1] == "name" {
			continue
		}
		if !all[f[1]] {
			t.Errorf("kana-practice has no schema property %q (seed field)", f[1])
		}
	}
	// The organization endpoints the seed describes.
	want := map[string]bool{"POST /apis/therapist_organization/": false, "GET /apis/therapist_organization/{id}/": false}
	for _, o := range v.Operations {
		if _, ok := want[o.Method+" "+o.Path]; ok {
			want[o.Method+" "+o.Path] = true
		}
	}
	for k, ok := range want {
		if !ok {
			t.Errorf("kana-practice lacks %s", k)
		}
	}
}
