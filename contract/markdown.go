package contract

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// WriteMarkdown writes a report for a pull-request comment or a wiki page: summary, findings per
// operation, the inferred section, and latency per operation.
func WriteMarkdown(w io.Writer, rep *Report) error {
	var b strings.Builder
	s := rep.Summary
	title := rep.Title
	if title == "" {
		title = rep.Spec
	}
	fmt.Fprintf(&b, "# Contract report: %s\n\n", md(title))
	verdict := "✅ no new drift"
	if s.New > 0 {
		verdict = fmt.Sprintf("❌ %d new finding%s", s.New, plural(s.New))
	}
	if !rep.Complete {
		verdict += " (interrupted: partial results)"
	}
	fmt.Fprintf(&b, "**%s** — `%s` against `%s`, %s mode", verdict, md(rep.Spec), md(rep.BaseURL), rep.Mode)
	if rep.Strict {
		b.WriteString(", strict")
	}
	fmt.Fprintf(&b, ", started %s, took %s.\n\n", rep.Started.UTC().Format(time.RFC3339), rep.Duration.Round(time.Millisecond))
	b.WriteString("| operations | passed | drift | skipped | new findings | accepted | requests |\n|---:|---:|---:|---:|---:|---:|---:|\n")
	fmt.Fprintf(&b, "| %d | %d | %d | %d | %d | %d | %d |\n\n", s.Operations, s.Passed, s.Drift, s.Skipped, s.New, s.Accepted, s.Requests)
	if rep.Redacted {
		b.WriteString("Personal data in excerpts is redacted; credentials never appear.\n\n")
	}
	b.WriteString("## Findings\n\n")
	if s.Findings == 0 {
		b.WriteString("None.\n\n")
	}
	for _, op := range rep.Operations {
		if len(op.Findings) == 0 {
			continue
		}
		fmt.Fprintf(&b, "### `%s`\n\n", md(op.Name()))
		b.WriteString("| | check | where | message | expected | actual |\n|---|---|---|---|---|---|\n")
		for _, f := range op.Findings {
			mark := "🆕"
			if f.Accepted {
				mark = "baseline"
			}
			msg := f.Message
			if f.Count > 1 {
				msg += fmt.Sprintf(" (×%d)", f.Count)
			}
			fmt.Fprintf(&b, "| %s | %s | `%s` | %s | %s | %s |\n", mark, f.Check, md(f.Where()), md(msg), md(f.Expected), md(f.Actual))
		}
		b.WriteString("\n")
	}
	if len(rep.Inferred) > 0 {
		b.WriteString("## Inferred parts of the description\n\n")
		b.WriteString("Parts marked `x-vendormock-inferred` that the sandbox confirmed or contradicted.\n\n")
		b.WriteString("| operation | item | verdict | detail |\n|---|---|---|---|\n")
		for _, ir := range rep.Inferred {
			fmt.Fprintf(&b, "| `%s` | `%s` | %s | %s |\n", md(ir.Operation), md(ir.Item), ir.Verdict, md(ir.Detail))
		}
		b.WriteString("\n")
	}
	b.WriteString("## Operations\n\n| operation | state | status | latency | findings | note |\n|---|---|---:|---:|---:|---|\n")
	for _, op := range rep.Operations {
		status := ""
		if op.Status != 0 {
			status = itoa(op.Status)
		}
		latency := ""
		if op.State != StateSkipped {
			latency = op.Latency.String()
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %d | %s |\n", md(op.Name()), op.State, status, latency, len(op.Findings), md(op.Reason))
	}
	_, err := io.WriteString(w, b.String())
	if err != nil {
		return fmt.Errorf("write markdown report: %w", err)
	}
	return nil
}

// md keeps a value inside one table cell.
func md(s string) string {
	s = strings.ReplaceAll(s, "|", "\\|")
	s = strings.ReplaceAll(s, "\n", " ")
	return strings.ReplaceAll(s, "`", "'")
}
