package contract_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/vendormock/vendormock/contract"
)

func setField(op, path string, v any) driftFunc {
	return func(o string, st *int, _ http.Header, body *any) {
		if o != op || *st >= 300 {
			return
		}
		m := (*body).(map[string]any)
		toks := strings.Split(strings.TrimPrefix(path, "/"), "/")
		for _, t := range toks[:len(toks)-1] {
			switch next := m[t].(type) {
			case map[string]any:
				m = next
			case []any:
				m = next[0].(map[string]any)
			}
		}
		if v == nil {
			delete(m, toks[len(toks)-1])
			return
		}
		if v == "<null>" {
			v = nil
		}
		m[toks[len(toks)-1]] = v
	}
}

// TestDriftDetected runs the checks against a sandbox that drifts one way at a time: each drift
// is reported once, with the right kind, check and pointer.
func TestDriftDetected(t *testing.T) {
	v := driftVendor(t)
	for _, tc := range []struct {
		name          string
		drift         driftFunc
		full, strict  bool
		acceptInvalid bool
		noAuth        bool
		op, check     string
		kind, where   string
	}{
		{name: "undocumented status", op: "getPatient", check: contract.CheckValid, kind: contract.KindStatus, where: "status",
			drift: func(o string, st *int, _ http.Header, _ *any) {
				if o == "getPatient" && *st == 200 {
					*st = 418
				}
			}},
		{name: "content type", op: "getPatient", check: contract.CheckValid, kind: contract.KindContentType, where: "content-type Content-Type",
			drift: func(o string, st *int, h http.Header, b *any) {
				if o == "getPatient" && *st == 200 {
					h.Set("Content-Type", "text/plain")
					*b = "hello"
				}
			}},
		{name: "missing required", op: "getPatient", check: contract.CheckValid, kind: contract.KindBody, where: "body /status",
			drift: setField("getPatient", "/status", nil)},
		{name: "wrong type", op: "getPatient", check: contract.CheckValid, kind: contract.KindBody, where: "body /age",
			drift: setField("getPatient", "/age", "sixty")},
		{name: "format", op: "getPatient", check: contract.CheckValid, kind: contract.KindBody, where: "body /dateOfBirth",
			drift: setField("getPatient", "/dateOfBirth", "03/02/1961")},
		{name: "enum", op: "getPatient", check: contract.CheckValid, kind: contract.KindBody, where: "body /status",
			drift: setField("getPatient", "/status", "deleted")},
		{name: "pattern", op: "getPatient", check: contract.CheckValid, kind: contract.KindBody, where: "body /address/postcode",
			drift: setField("getPatient", "/address/postcode", "not a postcode")},
		{name: "nullability", op: "getPatient", check: contract.CheckValid, kind: contract.KindBody, where: "body /firstName",
			drift: setField("getPatient", "/firstName", "<null>")},
		{name: "array bounds", op: "getPatient", check: contract.CheckValid, kind: contract.KindBody, where: "body /tags",
			drift: setField("getPatient", "/tags", []any{"a", "b", "c"})},
		{name: "array element", op: "listPatients", check: contract.CheckValid, kind: contract.KindBody, where: "body /items/0/age",
			drift: setField("listPatients", "/items/age", "old")},
		{name: "header", op: "getPatient", check: contract.CheckValid, kind: contract.KindHeader, where: "header X-Request-Id",
			drift: func(o string, _ *int, h http.Header, _ *any) {
				if o == "getPatient" {
					h.Set("X-Request-Id", "nope")
				}
			}},
		{name: "undeclared property", strict: true, op: "getPatient", check: contract.CheckValid, kind: contract.KindUndeclared,
			where: "undeclared /address/shoeSize", drift: setField("getPatient", "/address/shoeSize", 44)},
		{name: "no credentials accepted", noAuth: true, op: "getPractice", check: contract.CheckNoCredentials, kind: contract.KindAuth, where: "auth"},
		{name: "invalid body accepted", full: true, acceptInvalid: true, op: "createPatient", check: contract.CheckInvalidBody,
			kind: contract.KindInvalidBody, where: "invalid-body"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sb := &sandbox{drift: tc.drift, acceptInvalid: tc.acceptInvalid, noAuth: tc.noAuth}
			ts := httptest.NewServer(sb)
			defer ts.Close()
			opts := driftOptions(t, v, ts)
			opts.Strict = tc.strict
			if tc.full {
				opts.Mode = contract.ModeFull
			}
			rep := run(t, opts, nil)
			var got []contract.Finding
			for _, f := range rep.Findings() {
				if (tc.noAuth || tc.acceptInvalid) && f.Operation != tc.op {
					continue // every operation drifts the same way here; one is enough to look at
				}
				got = append(got, f)
			}
			if len(got) != 1 {
				t.Fatalf("want exactly one finding, got %d:\n%s", len(got), findingLines(got))
			}
			f := got[0]
			if f.Operation != tc.op || f.Check != tc.check || f.Kind != tc.kind || f.Where() != tc.where {
				t.Errorf("finding = %s %q %s %q, want %s %q %s %q\n%s", f.Operation, f.Check, f.Kind, f.Where(),
					tc.op, tc.check, tc.kind, tc.where, f)
			}
			if f.Message == "" || f.Key == "" {
				t.Errorf("finding without message or key: %+v", f)
			}
			if !rep.HasNewDrift() {
				t.Error("HasNewDrift = false with a new finding")
			}
		})
	}
}

func findingLines(fs []contract.Finding) string {
	var b strings.Builder
	for _, f := range fs {
		b.WriteString("  " + f.Operation + " [" + f.Check + "] " + f.String() + " key=" + f.Key + "\n")
	}
	return b.String()
}

// TestCleanSandbox: a sandbox that follows the description has no findings in either mode.
func TestCleanSandbox(t *testing.T) {
	v := driftVendor(t)
	for _, mode := range []contract.Mode{contract.ModeSafe, contract.ModeFull} {
		t.Run(string(mode), func(t *testing.T) {
			sb := &sandbox{}
			ts := httptest.NewServer(sb)
			defer ts.Close()
			opts := driftOptions(t, v, ts)
			opts.Mode, opts.Strict, opts.Concurrency = mode, true, 4
			rep := run(t, opts, nil)
			if fs := rep.Findings(); len(fs) > 0 {
				t.Fatalf("findings against a clean sandbox:\n%s", findingLines(fs))
			}
			if rep.HasNewDrift() || !rep.Complete {
				t.Errorf("summary %+v complete=%v", rep.Summary, rep.Complete)
			}
			if mode == contract.ModeFull {
				reqs := strings.Join(sb.requests(), "\n")
				for _, want := range []string{"POST /patients", "GET /patients/pat-new", "PUT /patients/pat-new", "DELETE /patients/pat-new"} {
					if !strings.Contains(reqs, want) {
						t.Errorf("full mode did not send %s; sent:\n%s", want, reqs)
					}
				}
			}
		})
	}
}
