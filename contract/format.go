package contract

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"
)

// Formats lists the report formats Write knows.
func Formats() []string { return []string{"json", "junit", "markdown", "html"} }

// Write renders the report in a format: json, junit, markdown (md) or html.
func Write(w io.Writer, format string, rep *Report) error {
	switch strings.ToLower(format) {
	case "json":
		return WriteJSON(w, rep)
	case "junit", "xml":
		return WriteJUnit(w, rep)
	case "markdown", "md":
		return WriteMarkdown(w, rep)
	case "html":
		return WriteHTML(w, rep)
	}
	return fmt.Errorf("report format %q: want one of %s", format, strings.Join(Formats(), ", "))
}

// WriteJSON writes the report as indented JSON.
func WriteJSON(w io.Writer, rep *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(rep); err != nil {
		return fmt.Errorf("write json report: %w", err)
	}
	return nil
}

// JUnit XML, in the shape CI tools read (Jenkins, GitLab, GitHub test reporters).
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Time       string          `xml:"time,attr"`
	Timestamp  string          `xml:"timestamp,attr"`
	Properties []junitProperty `xml:"properties>property,omitempty"`
	Cases      []junitCase     `xml:"testcase"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name      string         `xml:"name,attr"`
	Classname string         `xml:"classname,attr"`
	Time      string         `xml:"time,attr"`
	Failures  []junitFailure `xml:"failure,omitempty"`
	Skipped   *junitSkipped  `xml:"skipped,omitempty"`
	SystemOut string         `xml:"system-out,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

type junitSkipped struct {
	Message string `xml:"message,attr,omitempty"`
}

func seconds(d time.Duration) string { return fmt.Sprintf("%.3f", d.Seconds()) }

// WriteJUnit writes one testcase per operation, named "METHOD path (operationId)", with a failure
// per new finding; accepted findings are listed in system-out so they stay visible.
func WriteJUnit(w io.Writer, rep *Report) error {
	name := rep.Vendor
	if name == "" {
		name = rep.Spec
	}
	suite := junitSuite{Name: "vendormock contract " + name, Time: seconds(rep.Duration),
		Timestamp: rep.Started.UTC().Format("2006-01-02T15:04:05"),
		Properties: []junitProperty{{"spec", rep.Spec}, {"baseUrl", rep.BaseURL}, {"mode", string(rep.Mode)},
			{"complete", fmt.Sprint(rep.Complete)}}}
	for _, op := range rep.Operations {
		c := junitCase{Name: op.Name(), Classname: "contract." + classPart(name), Time: seconds(time.Duration(op.Latency))}
		var out []string
		for _, f := range op.Findings {
			if f.Accepted {
				out = append(out, "accepted by baseline: ["+f.Check+"] "+f.String())
				continue
			}
			c.Failures = append(c.Failures, junitFailure{Message: "[" + f.Check + "] " + f.Where() + ": " + f.Message,
				Type: f.Kind, Text: findingDetail(f)})
		}
		if op.State == StateSkipped {
			c.Skipped = &junitSkipped{Message: op.Reason}
			suite.Skipped++
		} else if op.Reason != "" {
			out = append(out, op.Reason)
		}
		c.SystemOut = strings.Join(out, "\n")
		if len(c.Failures) > 0 {
			suite.Failures++
		}
		suite.Tests++
		suite.Cases = append(suite.Cases, c)
	}
	doc := junitSuites{Name: "vendormock contract", Tests: suite.Tests, Failures: suite.Failures, Skipped: suite.Skipped,
		Time: suite.Time, Suites: []junitSuite{suite}}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return fmt.Errorf("write junit report: %w", err)
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("write junit report: %w", err)
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func classPart(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '.' || r == '/' || r == ' ' {
			return '_'
		}
		return r
	}, s)
}

func findingDetail(f Finding) string {
	lines := []string{"check: " + f.Check, "kind: " + f.Kind}
	if f.Name != "" {
		lines = append(lines, "name: "+f.Name)
	}
	if f.Pointer != "" {
		lines = append(lines, "pointer: "+f.Pointer)
	}
	if f.Expected != "" {
		lines = append(lines, "expected: "+f.Expected)
	}
	if f.Actual != "" {
		lines = append(lines, "actual: "+f.Actual)
	}
	if f.Count > 1 {
		lines = append(lines, fmt.Sprintf("occurrences: %d", f.Count))
	}
	lines = append(lines, "key: "+f.Key)
	return strings.Join(lines, "\n")
}

// WriteSummary writes the console summary: counts, then every new finding on one line.
func WriteSummary(w io.Writer, rep *Report) error {
	s := rep.Summary
	state := "complete"
	if !rep.Complete {
		state = "INTERRUPTED (partial results)"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\n%s against %s (%s mode, %s): %d operations, %d passed, %d with drift, %d skipped; %d requests in %s\n",
		orDash(rep.Spec), rep.BaseURL, rep.Mode, state, s.Operations, s.Passed, s.Drift, s.Skipped, s.Requests,
		rep.Duration.Round(time.Millisecond))
	fmt.Fprintf(&b, "findings: %d new, %d accepted by the baseline\n", s.New, s.Accepted)
	for _, op := range rep.Operations {
		for _, f := range op.Findings {
			if !f.Accepted {
				fmt.Fprintf(&b, "  %s [%s] %s\n", op.Name(), f.Check, f)
			}
		}
	}
	counts := map[string]int{}
	for _, ir := range rep.Inferred {
		counts[ir.Verdict]++
	}
	if len(rep.Inferred) > 0 {
		keys := make([]string, 0, len(counts))
		for k := range counts {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var parts []string
		for _, k := range keys {
			parts = append(parts, fmt.Sprintf("%d %s", counts[k], k))
		}
		fmt.Fprintf(&b, "inferred parts of the description: %s\n", strings.Join(parts, ", "))
	}
	_, err := io.WriteString(w, b.String())
	return err
}
