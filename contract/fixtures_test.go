package contract_test

import (
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vendormock/vendormock/contract"
)

func writeFile(tb testing.TB, dir, name, data string) {
	tb.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
		tb.Fatal(err)
	}
}

// TestFixtures: ids and bodies from YAML and JSON files reach the sandbox, the most specific key
// wins, and a key defined twice is an error naming both files.
func TestFixtures(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "ids.yaml", `
"*":
  params:
    path.patientId: from-star
getPatient:
  params:
    path.patientId: pat-777
`)
	writeFile(t, dir, "bodies.json", `{"POST /patients": {"body": {"firstName": "Fixture", "lastName": "Body"}}}`)
	fx, err := contract.LoadFixtures(dir)
	if err != nil {
		t.Fatal(err)
	}
	v := driftVendor(t)
	sb := &sandbox{}
	ts := httptest.NewServer(sb)
	defer ts.Close()
	opts := driftOptions(t, v, ts)
	opts.Fixtures = fx
	rep := run(t, opts, nil)
	if len(rep.Findings()) > 0 {
		t.Fatalf("findings:\n%s", findingLines(rep.Findings()))
	}
	reqs := strings.Join(sb.requests(), "\n")
	if !strings.Contains(reqs, "GET /patients/pat-777") || strings.Contains(reqs, "from-star") {
		t.Errorf("the operationId fixture did not win over *:\n%s", reqs)
	}
	// Full mode: the fixture body is what createPatient sends.
	opts.Mode, opts.NoRedact = contract.ModeFull, true // the fixture's names would be redacted
	rep = run(t, opts, nil)
	found := false
	for _, op := range rep.Operations {
		if op.ID == "createPatient" && len(op.Exchanges) > 0 && strings.Contains(op.Exchanges[0].Request, `"Body"`) {
			found = true
		}
	}
	if !found {
		t.Error("createPatient did not send the fixture body")
	}

	writeFile(t, dir, "dup.yml", "getPatient: {params: {path.patientId: x}}\n")
	if _, err := contract.LoadFixtures(dir); err == nil || !strings.Contains(err.Error(), "also defined") {
		t.Errorf("duplicate key: err = %v", err)
	}
	bad := t.TempDir()
	writeFile(t, bad, "bad.yaml", "getPatient: {parms: {}}\n")
	if _, err := contract.LoadFixtures(bad); err == nil || !strings.Contains(err.Error(), "bad.yaml") {
		t.Errorf("unknown field: err = %v", err)
	}
}

// TestIncludeExclude: globs on operationId and "METHOD /path" pick the operations.
func TestIncludeExclude(t *testing.T) {
	v := driftVendor(t)
	ts := httptest.NewServer(&sandbox{})
	defer ts.Close()
	for _, tc := range []struct {
		include, exclude []string
		want             string
	}{
		{include: []string{"get*"}, want: "getPatient,getPractice"},
		{include: []string{"GET /patients*"}, exclude: []string{"listPatients"}, want: "getPatient"},
		{exclude: []string{"*patient*,GET /practice"}, want: ""},
	} {
		opts := driftOptions(t, v, ts)
		opts.Include, opts.Exclude = tc.include, tc.exclude
		rep := run(t, opts, nil)
		var ran []string
		for _, op := range rep.Operations {
			if op.State != contract.StateSkipped {
				ran = append(ran, op.ID)
			}
		}
		if got := strings.Join(ran, ","); got != tc.want {
			t.Errorf("include %v exclude %v: ran %q, want %q", tc.include, tc.exclude, got, tc.want)
		}
	}
}
