package mock_test

import (
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/vendormock/vendormock/mock"
	"github.com/vendormock/vendormock/specs"
)

func luhnValid(digits string) bool {
	sum, double := 0, false
	for i := len(digits) - 1; i >= 0; i-- {
		d := int(digits[i] - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return sum%10 == 0
}

func nhsValid(n string) bool {
	if len(n) != 10 {
		return false
	}
	sum := 0
	for i := 0; i < 9; i++ {
		sum += int(n[i]-'0') * (10 - i)
	}
	check := 11 - sum%11
	if check == 11 {
		check = 0
	}
	return check != 10 && check == int(n[9]-'0')
}

// TestHintsFromSidecarAndExtension overrides generators without editing the description's
// schema types: a sidecar names one for "registry", an x-vendormock-faker extension for patientRef.
func TestHintsFromSidecarAndExtension(t *testing.T) {
	srv := newServer(t, 1, specs.Source{Name: "h", Path: "testdata/hints/openapi.yaml"})
	for i := 0; i < 10; i++ {
		rec := call(t, srv, "GET", "/h/providers/"+itoa(i+1), "", nil)
		body := decodeJSON(t, rec)
		npi, _ := body["registry"].(string)
		if len(npi) != 10 || !luhnValid("80840"+npi) {
			t.Fatalf("registry %q is not an NPI with a valid check digit", npi)
		}
		nhs, _ := body["patientRef"].(string)
		if !nhsValid(strings.ReplaceAll(nhs, " ", "")) {
			t.Fatalf("patientRef %q is not an NHS number with a valid check digit", nhs)
		}
	}
}

func TestUnknownGeneratorInSidecar(t *testing.T) {
	cat := loadCatalog(t, specs.Source{Name: "h", Path: "testdata/badhints/openapi.yaml"})
	_, err := mock.NewServer(mock.Options{Catalog: cat, Logger: slog.New(slog.DiscardHandler)})
	if err == nil || !strings.Contains(err.Error(), "badhints/openapi.vendormock.yaml") ||
		!strings.Contains(err.Error(), "#/faker/registry") || !strings.Contains(err.Error(), "notAGenerator") {
		t.Fatalf("err = %v", err)
	}
	_ = context.Background
}
