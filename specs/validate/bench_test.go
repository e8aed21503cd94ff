package validate

import (
	"context"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/vendormock/vendormock/specs"
)

// BenchmarkRequest measures request validation on Open Dental's patients: a list query and
// a JSON create, each sent again (the pass caches answer) and always different (every
// request goes through the library's parameter checks), and a create whose body fails.
func BenchmarkRequest(b *testing.B) {
	cat, err := specs.Load(context.Background(), specs.Bundled(), specs.Options{})
	if err != nil {
		b.Fatal(err)
	}
	vendor, _ := cat.Vendor("opendental")
	v := New(vendor, Options{})
	list, _ := vendor.Operation("listPatients")
	create, _ := vendor.Operation("createPatient")
	body := []byte(`{"LName":"Bench","FName":"Ann","Birthdate":"1980-01-31","Email":"ann@example.com"}`)
	for _, bc := range []struct {
		name     string
		op       *specs.Operation
		method   string
		body     []byte
		distinct bool // a new query string every time
		invalid  bool // the body fails: findings are built
	}{
		{"list/same", list, "GET", nil, false, false},
		{"list/distinct", list, "GET", nil, true, false},
		{"create/same", create, "POST", body, false, false},
		{"create/distinct", create, "POST", body, true, false},
		{"create/invalid", create, "POST", []byte(`{"LName":5,"Birthdate":"31/01/1980","PatStatus":"Sleeping"}`), false, true},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				target := "/patients?LName=Smith"
				if bc.distinct {
					target += strconv.Itoa(i)
				}
				r := httptest.NewRequest(bc.method, target, nil)
				r.Header.Set("Authorization", "ODFHIR a/b")
				if bc.body != nil {
					r.Header.Set("Content-Type", "application/json")
				}
				if f := v.Request(r, bc.op, bc.body); (len(f) > 0) != bc.invalid {
					b.Fatalf("findings: %+v", f)
				}
				i++
			}
		})
	}
}
