package contract_test

import (
	"bytes"
	"encoding/xml"
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vendormock/vendormock/contract"
)

var update = flag.Bool("update", false, "rewrite golden files")

// compareGolden compares output with testdata/golden/name, rewriting it under -update.
func compareGolden(tb testing.TB, got []byte, name string) {
	tb.Helper()
	file := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(file, got, 0o644); err != nil {
			tb.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		tb.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		tb.Errorf("%s differs from the golden file (run go test -update after checking the change)\n--- got ---\n%s", name, got)
	}
}

// goldenReport is a full-mode strict run against a sandbox with three drifts, one of them
// accepted by a baseline: every part of every format has something to show.
func goldenReport(tb testing.TB) *contract.Report {
	tb.Helper()
	v := driftVendor(tb)
	sb := &sandbox{drift: func(o string, st *int, h http.Header, b *any) {
		if *st >= 300 {
			return
		}
		switch o {
		case "getPatient":
			m := (*b).(map[string]any)
			m["age"] = "sixty"
			m["shoeSize"] = 44
		case "listPatients":
			items := (*b).(map[string]any)["items"].([]any)
			for _, it := range items {
				it.(map[string]any)["status"] = "archived"
			}
		case "getPractice":
			m := (*b).(map[string]any)
			m["plan"] = "enterprise"
		}
	}}
	ts := httptest.NewServer(sb)
	defer ts.Close()
	opts := driftOptions(tb, v, ts)
	opts.Mode, opts.Strict = contract.ModeFull, true
	base := &contract.Baseline{}
	base.Findings = append(base.Findings, contract.BaselineEntry{Key: "getPatient valid request undeclared /shoeSize additionalProperties"})
	file := filepath.Join(tb.TempDir(), "baseline.json")
	if err := base.Write(file); err != nil {
		tb.Fatal(err)
	}
	b, err := contract.LoadBaseline(file)
	if err != nil {
		tb.Fatal(err)
	}
	rep := run(tb, opts, b)
	rep.BaseURL, rep.Baseline = "https://sandbox.example.com", "baseline.json" // the test server's port varies
	return rep
}

// TestReportGolden renders the same report in every format.
func TestReportGolden(t *testing.T) {
	rep := goldenReport(t)
	if rep.Summary.Accepted != 1 || rep.Summary.New < 3 {
		t.Fatalf("unexpected summary %+v:\n%s", rep.Summary, findingLines(rep.Findings()))
	}
	for format, file := range map[string]string{"json": "report.json", "junit": "report.xml", "markdown": "report.md", "html": "report.html"} {
		t.Run(format, func(t *testing.T) {
			var buf bytes.Buffer
			if err := contract.Write(&buf, format, rep); err != nil {
				t.Fatal(err)
			}
			compareGolden(t, buf.Bytes(), file)
		})
	}
	var sum bytes.Buffer
	if err := contract.WriteSummary(&sum, rep); err != nil {
		t.Fatal(err)
	}
	compareGolden(t, sum.Bytes(), "summary.txt")
	if err := contract.Write(io.Discard, "pdf", rep); err == nil {
		t.Error("unknown format accepted")
	}
}

// TestJUnitShape parses the JUnit output the way CI tools do: testsuites > testsuite > testcase >
// failure|skipped with the attributes they read, one testcase per operation named
// "METHOD path (operationId)", one failure per new finding.
func TestJUnitShape(t *testing.T) {
	rep := goldenReport(t)
	var buf bytes.Buffer
	if err := contract.WriteJUnit(&buf, rep); err != nil {
		t.Fatal(err)
	}
	required := map[string][]string{
		"testsuites": {"name", "tests", "failures", "time"},
		"testsuite":  {"name", "tests", "failures", "errors", "skipped", "time", "timestamp"},
		"testcase":   {"name", "classname", "time"},
		"failure":    {"message", "type"},
	}
	parents := map[string]string{"testsuite": "testsuites", "testcase": "testsuite", "failure": "testcase",
		"skipped": "testcase", "properties": "testsuite", "property": "properties", "system-out": "testcase"}
	dec := xml.NewDecoder(&buf)
	var stack []string
	counts := map[string]int{}
	var names []string
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("invalid XML: %v", err)
		}
		switch el := tok.(type) {
		case xml.StartElement:
			name := el.Name.Local
			if len(stack) == 0 && name != "testsuites" {
				t.Fatalf("root element %q, want testsuites", name)
			}
			if p, ok := parents[name]; ok && stack[len(stack)-1] != p {
				t.Errorf("%s inside %s, want inside %s", name, stack[len(stack)-1], p)
			}
			attrs := map[string]string{}
			for _, a := range el.Attr {
				attrs[a.Name.Local] = a.Value
			}
			for _, a := range required[name] {
				if _, ok := attrs[a]; !ok {
					t.Errorf("<%s> lacks attribute %s", name, a)
				}
			}
			if name == "testcase" {
				names = append(names, attrs["name"])
			}
			counts[name]++
			stack = append(stack, name)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		}
	}
	if counts["testcase"] != len(rep.Operations) {
		t.Errorf("%d testcases for %d operations", counts["testcase"], len(rep.Operations))
	}
	if counts["failure"] != rep.Summary.New {
		t.Errorf("%d failures for %d new findings", counts["failure"], rep.Summary.New)
	}
	if !strings.Contains(strings.Join(names, "\n"), "GET /patients/{patientId} (getPatient)") {
		t.Errorf("testcase names %q lack METHOD path (operationId)", names)
	}
}
