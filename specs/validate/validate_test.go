package validate

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/pb33f/libopenapi-validator/schema_validation"

	"github.com/vendormock/vendormock/specs"
)

// testSpec's second server has a base path that is also its first path segment: requests
// arrive relative to the mount, and nothing may be stripped from them.
const testSpec = `openapi: 3.0.3
info: {title: t, version: "1"}
servers:
  - url: https://api.example.com
  - url: https://other.example.com/items
paths:
  /items/{id}:
    parameters:
      - {name: id, in: path, required: true, schema: {type: integer, minimum: 1}}
    get:
      operationId: getItem
      parameters:
        - {name: fields, in: query, schema: {type: string, enum: [all, some]}}
        - {name: X-Tenant, in: header, schema: {type: string, pattern: "^t[0-9]+$"}}
      responses: {"200": {description: ok}}
  /items:
    post:
      operationId: createItem
      parameters:
        - {name: dryRun, in: query, schema: {type: boolean}}
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [name]
              properties:
                name: {type: string, minLength: 2}
                id: {type: integer, readOnly: true}
      responses: {"201": {description: created}}
`

func testValidator(t *testing.T) (*Validator, *specs.Vendor) {
	t.Helper()
	fsys := fstest.MapFS{"t/openapi.yaml": {Data: []byte(testSpec)}}
	cat, err := specs.Load(context.Background(), []specs.Source{{Name: "t", Path: "t/openapi.yaml", FS: fsys}}, specs.Options{})
	if err != nil {
		t.Fatal(err)
	}
	v, err := cat.Vendor("t")
	if err != nil {
		t.Fatal(err)
	}
	return New(v, Options{}), v
}

func op(t *testing.T, v *specs.Vendor, id string) *specs.Operation {
	t.Helper()
	for _, o := range v.Operations {
		if o.ID == id {
			return o
		}
	}
	t.Fatalf("no operation %s", id)
	return nil
}

// The fast paths (pass cache, once-compiled body schema) must never let a bad request through,
// whatever passed before it.
func TestRequestFastPathsKeepFindings(t *testing.T) {
	val, v := testValidator(t)
	get, post := op(t, v, "getItem"), op(t, v, "createItem")
	cases := []struct {
		name, method, target, body, tenant string
		op                                 *specs.Operation
		wantField                          string // "" = valid
	}{
		{"valid get", "GET", "/items/3?fields=all", "", "t1", get, ""},
		{"valid get again (cached)", "GET", "/items/3?fields=all", "", "t1", get, ""},
		{"bad query after a pass", "GET", "/items/3?fields=none", "", "t1", get, "fields"},
		{"bad header after a pass", "GET", "/items/3?fields=all", "", "x9", get, "X-Tenant"},
		{"bad path param", "GET", "/items/0", "", "", get, "id"},
		{"valid get still passes", "GET", "/items/3?fields=all", "", "t1", get, ""},
		{"valid body", "POST", "/items", `{"name":"ab"}`, "", post, ""},
		{"readOnly id not required in a request", "POST", "/items", `{"name":"abc"}`, "", post, ""},
		{"body too short after a pass", "POST", "/items", `{"name":"a"}`, "", post, "/name"},
		{"valid body, valid query", "POST", "/items?dryRun=true", `{"name":"ab"}`, "", post, ""},
		{"valid body, bad query after a pass", "POST", "/items?dryRun=maybe", `{"name":"ab"}`, "", post, "dryRun"},
		{"other body, query that passed before", "POST", "/items?dryRun=true", `{"name":"xyz"}`, "", post, ""},
		{"bad body, query that passed before", "POST", "/items?dryRun=true", `{"name":"x"}`, "", post, "/name"},
		{"body missing field", "POST", "/items", `{}`, "", post, "name"},
		{"body wrong type", "POST", "/items", `{"name":5}`, "", post, "/name"},
		{"malformed body", "POST", "/items", `{"name":`, "", post, "body"},
		{"no body", "POST", "/items", "", "", post, "Content-Type"},
		{"no body, asked twice", "POST", "/items", "", "", post, "Content-Type"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := httptest.NewRequest(c.method, c.target, strings.NewReader(c.body))
			if c.body != "" {
				r.Header.Set("Content-Type", "application/json")
			}
			if c.tenant != "" {
				r.Header.Set("X-Tenant", c.tenant)
			}
			var body []byte
			if c.body != "" {
				body = []byte(c.body)
			}
			got := val.Request(r, c.op, body)
			if c.wantField == "" {
				if len(got) > 0 {
					t.Fatalf("want no findings, got %+v", got)
				}
				return
			}
			if len(got) == 0 {
				t.Fatalf("want a finding about %s, got none", c.wantField)
			}
			all := ""
			for _, f := range got {
				all += f.In + " " + f.Name + " " + f.Pointer + " " + f.Message + "\n"
			}
			if !strings.Contains(all, c.wantField) {
				t.Errorf("findings do not name %q:\n%s", c.wantField, all)
			}
		})
	}
}

func TestPassCacheIsBounded(t *testing.T) {
	var c passCache
	for i := 0; i < passCacheSize*2+10; i++ {
		c.add(passKey{path: "/items/" + strings.Repeat("x", i%7) + string(rune('a'+i%26)), query: string(rune(i))})
		if len(c.keys) > passCacheSize {
			t.Fatalf("cache holds %d keys; bound is %d", len(c.keys), passCacheSize)
		}
	}
	k := passKey{path: "/p"}
	c.add(k)
	if !c.known(k) {
		t.Error("a key just added is not known")
	}
}

const refSpec = `openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /items:
    post:
      operationId: createItem
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Item'}
      responses: {"201": {description: created}}
  /items/{id}:
    get:
      operationId: getItem
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Item'}
  /nodes:
    post:
      operationId: createNode
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Node'}
      responses: {"201": {description: created}}
components:
  schemas:
    Item:
      type: object
      required: [id, name, tag]
      properties:
        id: {type: integer, readOnly: true}
        name: {type: string}
        tag: {$ref: '#/components/schemas/Tag'}
    Tag:
      type: object
      required: [label]
      properties:
        label: {type: string, enum: [red, blue]}
    Node:
      type: object
      required: [name]
      properties:
        name: {type: string}
        children:
          type: array
          items: {$ref: '#/components/schemas/Node'}
`

// Request and response schemas whose references render inline compile on their own, and the library's own
// request validation (which explains failures) uses that same compiled schema instead of
// compiling the whole description as a resource. A circular schema still validates, through
// the library's resource compiler.
func TestBodySchemasCompileAlone(t *testing.T) {
	fsys := fstest.MapFS{"r/openapi.yaml": {Data: []byte(refSpec)}}
	cat, err := specs.Load(context.Background(), []specs.Source{{Name: "r", Path: "r/openapi.yaml", FS: fsys}}, specs.Options{})
	if err != nil {
		t.Fatal(err)
	}
	v, err := cat.Vendor("r")
	if err != nil {
		t.Fatal(err)
	}
	val := New(v, Options{})
	cases := []struct {
		op, target, body string
		wantField        string // "" = valid
	}{
		{"createItem", "/items", `{"name":"a","tag":{"label":"red"}}`, ""},
		{"createItem", "/items", `{"name":"a","tag":{"label":"green"}}`, "label"},
		{"createItem", "/items", `{"name":"a"}`, "tag"},
		{"createNode", "/nodes", `{"name":"a","children":[{"name":"b","children":[{"name":"c"}]}]}`, ""},
		{"createNode", "/nodes", `{"name":"a","children":[{"name":"b","children":[{"name":5}]}]}`, "name"},
	}
	for _, c := range cases {
		r := httptest.NewRequest("POST", c.target, strings.NewReader(c.body))
		r.Header.Set("Content-Type", "application/json")
		got := val.Request(r, op(t, v, c.op), []byte(c.body))
		all := ""
		for _, f := range got {
			all += f.Name + " " + f.Pointer + " " + f.Message + "\n"
		}
		if (c.wantField == "") != (len(got) == 0) || !strings.Contains(all, c.wantField) {
			t.Errorf("%s %s: want finding %q, got:\n%s", c.op, c.body, c.wantField, all)
		}
	}

	item := op(t, v, "createItem")
	mt, _ := item.Op.RequestBody.Content.Get("application/json")
	s := v.Schema(mt.Schema)
	ours := val.compiledFor(s, schema_validation.SchemaValidationPurposeRequestBody)
	if ours == nil {
		t.Fatal("Item's request schema did not compile")
	}
	entry, ok := val.libCache.Load(schema_validation.SchemaCacheKey(s.GoLow().Hash(), v.SchemaVersion(), schema_validation.SchemaValidationPurposeRequestBody))
	if !ok || entry.CompiledSchema != ours {
		t.Errorf("the library's cache does not hold the schema compiled alone (found %v)", ok)
	}

	// Responses: readOnly fields are required there, and the library uses the schema compiled alone.
	get := op(t, v, "getItem")
	for _, c := range []struct{ body, wantField string }{
		{`{"id":1,"name":"a","tag":{"label":"blue"}}`, ""},
		{`{"name":"a","tag":{"label":"blue"}}`, "id"},
		{`{"id":1,"name":"a","tag":{"label":"pink"}}`, "label"},
	} {
		r := httptest.NewRequest("GET", "/items/1", nil)
		h := http.Header{"Content-Type": {"application/json"}}
		got := val.Response(r, get, 200, h, []byte(c.body))
		all := ""
		for _, f := range got {
			all += f.Name + " " + f.Pointer + " " + f.Message + "\n"
		}
		if (c.wantField == "") != (len(got) == 0) || !strings.Contains(all, c.wantField) {
			t.Errorf("response %s: want finding %q, got:\n%s", c.body, c.wantField, all)
		}
	}
	resp, _ := get.Response(200)
	rmt, _ := resp.Content.Get("application/json")
	rs := v.Schema(rmt.Schema)
	entry, ok = val.libCache.Load(schema_validation.SchemaCacheKey(rs.GoLow().Hash(), v.SchemaVersion(), schema_validation.SchemaValidationPurposeResponseBody))
	if !ok || entry.CompiledSchema != val.compiledFor(rs, schema_validation.SchemaValidationPurposeResponseBody) {
		t.Errorf("the library's cache does not hold the response schema compiled alone (found %v)", ok)
	}
}
