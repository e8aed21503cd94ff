package mock

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/vendormock/vendormock/specs"
)

// BenchmarkRoute measures finding the operation of a request on Open Dental (344
// operations): a literal path, a templated one, and one no template matches.
func BenchmarkRoute(b *testing.B) {
	cat, err := specs.Load(context.Background(), specs.Bundled(), specs.Options{})
	if err != nil {
		b.Fatal(err)
	}
	srv, err := NewServer(Options{Catalog: cat, Seed: 1, Now: func() time.Time { return time.Unix(0, 0) }})
	if err != nil {
		b.Fatal(err)
	}
	var d *dispatcher
	for _, vr := range srv.vendors {
		if vr.v.Name == "opendental" {
			d = vr.dispatch
		}
	}
	for _, bc := range []struct {
		name, path string
		found      bool
	}{
		{"literal", "/opendental/patients", true},
		{"template", "/opendental/patients/42", true},
		{"unknown", "/opendental/no/such/path", false},
	} {
		b.Run(bc.name, func(b *testing.B) {
			r := httptest.NewRequest("GET", bc.path, nil)
			b.ReportAllocs()
			for b.Loop() {
				if pr, _ := d.match(r); (pr != nil) != bc.found {
					b.Fatalf("%s: found %v", bc.path, pr != nil)
				}
			}
		})
	}
}
