package specs_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pb33f/libopenapi/datamodel/high/base"
	v3 "github.com/pb33f/libopenapi/datamodel/high/v3"

	"github.com/vendormock/vendormock/mock/fake"
	"github.com/vendormock/vendormock/specs"
)

// A detached vendor has the same operations as the parsed one, in the same order, with the
// same security, and a parameter document holding each operation's path and method.
func TestDetachedOperations(t *testing.T) {
	parsed, detached := loadTwice(t, append(specs.Bundled(), specs.Source{Name: "same", Path: "testdata/samerefs/openapi.yaml"}))
	for i, v := range parsed.Vendors {
		d := detached.Vendors[i]
		if !d.IsDetached() || v.IsDetached() || d.Name != v.Name {
			t.Fatalf("vendor %d: %s detached=%v, %s detached=%v", i, v.Name, v.IsDetached(), d.Name, d.IsDetached())
		}
		if d.Model == v.Model || d.ParamModel == v.ParamModel || v.ParamModel != v.Model {
			t.Errorf("%s: models not told apart", v.Name)
		}
		if len(d.Operations) != len(v.Operations) {
			t.Fatalf("%s: %d operations, want %d", v.Name, len(d.Operations), len(v.Operations))
		}
		for j, op := range v.Operations {
			dop := d.Operations[j]
			if dop.ID != op.ID || dop.Method != op.Method || dop.Path != op.Path || dop.Vendor != d {
				t.Errorf("%s: operation %d is %s, want %s", v.Name, j, dop, op)
			}
			if dop.Op == op.Op || dop.PathItem == op.PathItem || dop.Op.GoLow() != nil {
				t.Errorf("%s: %s shares the parsed model", v.Name, op.ID)
			}
			if got, want := securityNames(dop), securityNames(op); got != want {
				t.Errorf("%s: %s security %s, want %s", v.Name, op.ID, got, want)
			}
			if len(dop.Params) != len(op.Params) {
				t.Errorf("%s: %s has %d parameters, want %d", v.Name, op.ID, len(dop.Params), len(op.Params))
			}
			if dop.ParamItem == nil || dop.ParamItem == dop.PathItem {
				t.Errorf("%s: %s has no path item of its own for parameters", v.Name, op.ID)
				continue
			}
			pop := operationOfItem(dop.ParamItem, op.Method)
			if pop == nil || len(pop.Parameters) != len(op.Params) {
				t.Errorf("%s: %s: the parameters' path item has no %s operation with %d parameters", v.Name, op.ID, op.Method, len(op.Params))
				continue
			}
			for k, p := range pop.Parameters {
				if p.GoLow() == nil || p.Name != op.Params[k].Name || p.In != op.Params[k].In {
					t.Errorf("%s: %s: parameter %d is %s in %s (parsed: %v), want %s in %s", v.Name, op.ID, k, p.Name, p.In, p.GoLow() != nil, op.Params[k].Name, op.Params[k].In)
				}
			}
		}
	}
}

func securityNames(op *specs.Operation) string {
	if op.Security == nil {
		return "none"
	}
	var alts []string
	for _, req := range op.Security {
		var names []string
		if req.Requirements != nil {
			for name := range req.Requirements.KeysFromOldest() {
				names = append(names, name)
			}
		}
		slices.Sort(names)
		alts = append(alts, strings.Join(names, "+"))
	}
	return strings.Join(alts, "|")
}

// The generator makes the same bodies from a detached model as from the parsed one: every
// answer and request schema of every bundled operation, in both directions.
func TestDetachedGeneratesTheSame(t *testing.T) {
	parsed, detached := loadTwice(t, specs.Bundled())
	now := func() time.Time { return time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC) }
	compared := 0
	for i, v := range parsed.Vendors {
		d := detached.Vendors[i]
		gp := fake.New(fake.Options{Seed: 7, Now: now, Schema: v.Schema, KeyName: v.KeyName})
		gd := fake.New(fake.Options{Seed: 7, Now: now, Schema: d.Schema, KeyName: d.KeyName})
		for j, op := range v.Operations {
			dop := d.Operations[j]
			type pair struct {
				name string
				dir  fake.Direction
				p, d *base.Schema
			}
			var pairs []pair
			if rb := op.Op.RequestBody; rb != nil && rb.Content != nil {
				for ct, mt := range rb.Content.FromOldest() {
					dmt := dop.Op.RequestBody.Content.GetOrZero(ct)
					pairs = append(pairs, pair{"request " + ct, fake.Request, v.Schema(mt.Schema), d.Schema(dmt.Schema)})
				}
			}
			if r, code := op.Response(op.SuccessStatus()); r != nil && r.Content != nil {
				dr, _ := dop.Response(op.SuccessStatus())
				for ct, mt := range r.Content.FromOldest() {
					pairs = append(pairs, pair{code + " " + ct, fake.Response, v.Schema(mt.Schema), d.Schema(dr.Content.GetOrZero(ct).Schema)})
				}
			}
			for _, pr := range pairs {
				key := fmt.Sprintf("%s/%s/%s", v.Name, op.ID, pr.name)
				a, _ := json.Marshal(gp.Generate(pr.p, key, pr.dir))
				b, _ := json.Marshal(gd.Generate(pr.d, key, pr.dir))
				if !bytes.Equal(a, b) {
					t.Errorf("%s: detached model generates\n%s\nwant\n%s", key, b, a)
				}
				compared++
			}
		}
	}
	t.Logf("%d bodies compared", compared)
}

// KeyName tells the key an inline schema is declared under, on a detached model as on the
// parsed one (the generator's name hints read it).
func TestDetachedKeyNames(t *testing.T) {
	parsed, detached := loadTwice(t, specs.Bundled())
	named := 0
	for i, v := range parsed.Vendors {
		d := detached.Vendors[i]
		if v.Model.Components == nil || v.Model.Components.Schemas == nil {
			continue
		}
		for name, p := range v.Model.Components.Schemas.FromOldest() {
			s, ds := v.Schema(p), d.Schema(d.Model.Components.Schemas.GetOrZero(name))
			if s == nil || s.Properties == nil {
				continue
			}
			for prop, pp := range s.Properties.FromOldest() {
				if pp.IsReference() {
					continue
				}
				want := v.KeyName(v.Schema(pp))
				got := d.KeyName(d.Schema(ds.Properties.GetOrZero(prop)))
				if got != want {
					t.Errorf("%s: %s.%s: key name %q, want %q", v.Name, name, prop, got, want)
				}
				if want != "" {
					named++
				}
			}
		}
	}
	if named == 0 {
		t.Fatal("no inline property schema has a key name: the test shows nothing")
	}
	t.Logf("%d key names compared", named)
}

func operationOfItem(item *v3.PathItem, method string) *v3.Operation {
	for m, o := range item.GetOperations().FromOldest() {
		if strings.EqualFold(m, method) {
			return o
		}
	}
	if item.AdditionalOperations != nil {
		for m, o := range item.AdditionalOperations.FromOldest() {
			if strings.EqualFold(m, method) {
				return o
			}
		}
	}
	return nil
}

// loadTwice loads sources parsed, then detached.
func loadTwice(t *testing.T, sources []specs.Source) (parsed, detached *specs.Catalog) {
	t.Helper()
	parsed, err := specs.Load(t.Context(), sources, specs.Options{})
	if err != nil {
		t.Fatal(err)
	}
	detached, err = specs.Load(t.Context(), sources, specs.Options{Detach: true})
	if err != nil {
		t.Fatal(err)
	}
	return parsed, detached
}
