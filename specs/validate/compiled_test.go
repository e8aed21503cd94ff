package validate

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/vendormock/vendormock/specs"
)

var (
	bundledOnce sync.Once
	bundledCat  *specs.Catalog
	bundledErr  error
	detachOnce  sync.Once
	detachedCat *specs.Catalog
	detachErr   error
)

// detachedTwin is the bundled vendor's detached copy, or for a vendor loaded from a test spec,
// that spec loaded again detached.
func detachedTwin(t *testing.T, v *specs.Vendor) *specs.Vendor {
	t.Helper()
	if v.Source.FS != nil && v.Source.Path == "t/openapi.yaml" {
		fsys := fstest.MapFS{"t/openapi.yaml": {Data: []byte(testSpec)}}
		cat, err := specs.Load(context.Background(), []specs.Source{{Name: "t", Path: "t/openapi.yaml", FS: fsys}}, specs.Options{Detach: true})
		if err != nil {
			t.Fatal(err)
		}
		return cat.Vendors[0]
	}
	detachOnce.Do(func() {
		detachedCat, detachErr = specs.Load(context.Background(), specs.Bundled(), specs.Options{Detach: true})
	})
	if detachErr != nil {
		t.Fatal(detachErr)
	}
	d, err := detachedCat.Vendor(v.Name)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// checkDetached asks a validator on v's detached copy about the same request: its findings
// must be the parsed model's.
func checkDetached(t *testing.T, v *specs.Vendor, opID, method, target, ct string, body []byte, want []Finding) {
	t.Helper()
	d := detachedTwin(t, v)
	dop, ok := d.Operation(opID)
	if !ok {
		t.Fatalf("detached copy has no %s", opID)
	}
	r := httptest.NewRequest(method, target, bytes.NewReader(body))
	if ct != "" {
		r.Header.Set("Content-Type", ct)
	}
	r.Header.Set("Authorization", "ODFHIR a/b")
	got := New(d, Options{}).Request(r, dop, body)
	if !sameFindings(got, want) {
		t.Errorf("detached findings differ\n got: %s\nwant: %s", asJSON(got), asJSON(want))
	}
}

func bundledVendor(t *testing.T, name string) *specs.Vendor {
	t.Helper()
	bundledOnce.Do(func() { bundledCat, bundledErr = specs.Load(context.Background(), specs.Bundled(), specs.Options{}) })
	if bundledErr != nil {
		t.Fatal(bundledErr)
	}
	v, err := bundledCat.Vendor(name)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// Failing JSON bodies and values are explained from the schema compiled once, not by the
// library's body and schema validators. The findings must be the ones the library gives.
func TestCompiledFindingsMatchTheLibrary(t *testing.T) {
	val, tv := testValidator(t)
	od := bundledVendor(t, "opendental")
	odVal := New(od, Options{})
	hh := bundledVendor(t, "herohealth")
	hhVal := New(hh, Options{})
	cases := []struct {
		name         string
		val          *Validator
		vendor       *specs.Vendor
		op           string
		target, body string
	}{
		{"too short", val, tv, "createItem", "/items", `{"name":"a"}`},
		{"missing required", val, tv, "createItem", "/items", `{}`},
		{"wrong type", val, tv, "createItem", "/items", `{"name":5}`},
		{"array for object", val, tv, "createItem", "/items", `[1,2]`},
		{"bad body and bad query", val, tv, "createItem", "/items?dryRun=maybe", `{"name":"a"}`},
		{"good body, bad query", val, tv, "createItem", "/items?dryRun=maybe", `{"name":"ab"}`},
		{"patient: missing names, bad enum, bad date", odVal, od, "createPatient", "/patients",
			`{"PatStatus":"Sleeping","Birthdate":"31/01/1980","Gender":5}`},
		{"patient: undocumented property and wrong types", odVal, od, "createPatient", "/patients",
			`{"LName":1,"FName":["a"],"Nope":true}`},
	}
	if op, ok := firstJSONCreate(hh); ok {
		cases = append(cases, struct {
			name         string
			val          *Validator
			vendor       *specs.Vendor
			op           string
			target, body string
		}{"hero health: every property wrong", hhVal, hh, op.ID, op.Path, `{"a":{"b":1},"id":[],"name":7}`})
	}
	ku := bundledVendor(t, "kana-users")
	kuVal := New(ku, Options{})
	type other struct {
		name, ct     string
		fails        bool
		val          *Validator
		vendor       *specs.Vendor
		op           string
		target, body string
	}
	others := []other{
		{"no content type, body required", "", true, val, tv, "createItem", "/items", ""},
		{"unknown content type", "text/plain", true, val, tv, "createItem", "/items", "name=ab"},
		{"malformed JSON", "application/json", true, val, tv, "createItem", "/items", `{"name":`},
		{"empty JSON body, required", "application/json", true, val, tv, "createItem", "/items", ""},
		{"open dental: query of the wrong type", "", true, odVal, od, "listPatients", "/patients?SiteNum=abc&Limit=-1", ""},
		{"open dental: path parameter below its minimum", "", true, odVal, od, "getPatient", "/patients/0", ""},
		{"test spec: bad path, query and header", "", true, val, tv, "getItem", "/items/0?fields=none", ""},
		{"form body (not checked)", "application/x-www-form-urlencoded", false, kuVal, ku, "apis_user_create", "/apis/user/", "is_active=maybe&id=x"},
		{"two JSON values", "application/json", true, val, tv, "createItem", "/items", `{"name":"ab"} {}`},
	}
	for _, c := range others {
		t.Run(c.name, func(t *testing.T) {
			o := op(t, c.vendor, c.op)
			r := httptest.NewRequest(o.Method, c.target, strings.NewReader(c.body))
			if c.ct != "" {
				r.Header.Set("Content-Type", c.ct)
			}
			var body []byte
			if c.body != "" {
				body = []byte(c.body)
			}
			got := c.val.Request(r, o, body)
			want := libraryRequestFindings(c.val, r, o, body)
			if (len(want) > 0) != c.fails {
				t.Fatalf("the library finds %d, want findings: %v", len(want), c.fails)
			}
			if !sameFindings(got, want) {
				t.Errorf("findings differ from the library's\n got: %s\nwant: %s", asJSON(got), asJSON(want))
			}
			checkDetached(t, c.vendor, c.op, o.Method, c.target, c.ct, body, want)
		})
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o := op(t, c.vendor, c.op)
			r := httptest.NewRequest(o.Method, c.target, strings.NewReader(c.body))
			r.Header.Set("Content-Type", "application/json")
			r.Header.Set("Authorization", "ODFHIR a/b")
			got := c.val.Request(r, o, []byte(c.body))
			if len(got) == 0 {
				t.Fatal("no findings")
			}
			want := libraryRequestFindings(c.val, r, o, []byte(c.body))
			if !sameFindings(got, want) {
				t.Errorf("findings differ from the library's\n got: %s\nwant: %s", asJSON(got), asJSON(want))
			}
			checkDetached(t, c.vendor, c.op, o.Method, c.target, "application/json", []byte(c.body), want)
		})
	}

	// Values (fixtures, scenario bodies, generated records): the same with the schema validator.
	post := op(t, tv, "createItem")
	mt, _ := post.Op.RequestBody.Content.Get("application/json")
	s := tv.Schema(mt.Schema)
	patient := od.Schema(od.Model.Components.Schemas.GetOrZero("Patient"))
	for _, c := range []struct {
		name  string
		val   *Validator
		value string
	}{
		{"item: id of the wrong type, no name", val, `{"id":"x"}`},
		{"item: not an object", val, `"text"`},
		{"patient: wrong types", odVal, `{"PatNum":"one","LName":3}`},
	} {
		t.Run("value/"+c.name, func(t *testing.T) {
			var value any
			if err := json.Unmarshal([]byte(c.value), &value); err != nil {
				t.Fatal(err)
			}
			schema := s
			if c.val == odVal {
				schema = patient
			}
			got := c.val.Value(schema, value)
			if len(got) == 0 {
				t.Fatal("no findings")
			}
			c.val.mu.Lock()
			_, errs := c.val.schemas.ValidateSchemaObjectWithVersion(schema, value, c.val.vendor.SchemaVersion())
			c.val.mu.Unlock()
			want := convert(errs, value, false)
			for i := range want {
				if want[i].In == "response" {
					want[i].In = "body"
				}
			}
			if !sameFindings(got, want) {
				t.Errorf("findings differ from the library's\n got: %s\nwant: %s", asJSON(got), asJSON(want))
			}
		})
	}
}

// sameFindings compares findings in any order: the library lists an object's failures in the
// order it walked the properties, which is map order.
func sameFindings(got, want []Finding) bool {
	key := func(f Finding) string { return asJSON(f) }
	g, w := make([]string, len(got)), make([]string, len(want))
	for i := range got {
		g[i] = key(got[i])
	}
	for i := range want {
		w[i] = key(want[i])
	}
	slices.Sort(g)
	slices.Sort(w)
	return slices.Equal(g, w)
}

// libraryRequestFindings is what Request answered when the library explained every failing
// request.
func libraryRequestFindings(v *Validator, r *http.Request, o *specs.Operation, body []byte) []Finding {
	r2 := r.Clone(r.Context())
	r2.Body = io.NopCloser(bytes.NewReader(body))
	r2.ContentLength = int64(len(body))
	v.mu.Lock()
	_, errs := v.lib.ValidateHttpRequestSyncWithPathItem(r2, o.PathItem, o.Path)
	v.mu.Unlock()
	var doc any
	if err := json.Unmarshal(body, &doc); err != nil {
		doc = nil
	}
	return convert(errs, doc, true)
}

func firstJSONCreate(v *specs.Vendor) (*specs.Operation, bool) {
	for _, o := range v.Operations {
		if o.Method != "POST" || o.Op.RequestBody == nil || o.Op.RequestBody.Content == nil || strings.Contains(o.Path, "{") {
			continue
		}
		if mt, ok := o.Op.RequestBody.Content.Get("application/json"); ok && mt.Schema != nil {
			return o, true
		}
	}
	return nil, false
}

func asJSON(v any) string {
	b, _ := json.MarshalIndent(v, "", "  ")
	return string(b)
}

// The same bad body gets the same findings in the same order, sorted by where they are.
func TestBodyFindingsAreOrdered(t *testing.T) {
	od := bundledVendor(t, "opendental")
	val := New(od, Options{})
	o := op(t, od, "createPatient")
	body := []byte(`{"PatStatus":"Sleeping","Birthdate":"31/01/1980","Gender":5,"Email":7,"City":[],"SSN":{}}`)
	var first []Finding
	for i := range 20 {
		r := httptest.NewRequest("POST", "/patients", bytes.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		got := val.Request(r, o, body)
		if i == 0 {
			first = got
			ptrs := make([]string, len(got))
			for j, f := range got {
				ptrs[j] = f.Pointer
			}
			want := []string{"/LName", "/FName", "/Birthdate", "/City", "/Email", "/Gender", "/PatStatus", "/SSN"}
			if !slices.Equal(ptrs, want) {
				t.Fatalf("pointers %q, want %q", ptrs, want)
			}
			continue
		}
		if !slices.Equal(got, first) {
			t.Fatalf("request %d: findings in another order:\n%s\nfirst:\n%s", i, asJSON(got), asJSON(first))
		}
	}
}
