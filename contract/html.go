package contract

import (
	"fmt"
	"html/template"
	"io"
	"sync"
	"time"
)

// WriteHTML writes one self-contained page (inline CSS, no scripts or external files) a QA person
// can open: summary, findings per operation with request and response excerpts, the inferred
// section and latency per operation.
func WriteHTML(w io.Writer, rep *Report) error {
	if err := htmlPage().Execute(w, rep); err != nil {
		return fmt.Errorf("write html report: %w", err)
	}
	return nil
}

// htmlPage is parsed on first use: parsing it costs every start of the binary ~2 ms otherwise,
// and only contract runs write HTML.
var htmlPage = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("report").Funcs(template.FuncMap{
		"rfc3339": func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
		"round":   func(d time.Duration) time.Duration { return d.Round(time.Millisecond) },
	}).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Contract report: {{if .Title}}{{.Title}}{{else}}{{.Spec}}{{end}}</title>
<style>
body{font:15px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1b1f24}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #d0d7de}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}code,pre{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.85em}
pre{background:#f6f8fa;padding:.5rem;overflow:auto;max-height:24rem;white-space:pre-wrap}
.ok{color:#1a7f37}.bad{color:#cf222e}.skip{color:#6e7781}.new{background:#ffebe9}.accepted{background:#f6f8fa;color:#57606a}
.verdict{font-size:1.1rem;font-weight:600}section.op{border:1px solid #d0d7de;border-radius:6px;padding:.5rem 1rem;margin:1rem 0}
</style>
</head>
<body>
<h1>Contract report: {{if .Title}}{{.Title}}{{else}}{{.Spec}}{{end}}</h1>
<p class="verdict {{if gt .Summary.New 0}}bad{{else}}ok{{end}}">{{if gt .Summary.New 0}}{{.Summary.New}} new finding(s){{else}}No new drift{{end}}{{if not .Complete}} — interrupted, partial results{{end}}</p>
<p><code>{{.Spec}}</code> against <code>{{.BaseURL}}</code>, {{.Mode}} mode{{if .Strict}}, strict{{end}}, started {{rfc3339 .Started}}, took {{round .Duration}}.{{if .Baseline}} Baseline: <code>{{.Baseline}}</code>.{{end}}{{if .Redacted}} Personal data in excerpts is redacted; credentials never appear.{{end}}</p>
<table><tr><th>operations</th><th>passed</th><th>drift</th><th>skipped</th><th>new findings</th><th>accepted</th><th>requests</th></tr>
<tr><td>{{.Summary.Operations}}</td><td>{{.Summary.Passed}}</td><td>{{.Summary.Drift}}</td><td>{{.Summary.Skipped}}</td><td>{{.Summary.New}}</td><td>{{.Summary.Accepted}}</td><td>{{.Summary.Requests}}</td></tr></table>
<h2>Findings</h2>
{{if eq .Summary.Findings 0}}<p>None.</p>{{end}}
{{range .Operations}}{{if .Findings}}<section class="op">
<h3><code>{{.Name}}</code></h3>
<p>Status {{.Status}}, {{.Latency}}{{if .Flow}}, flow <em>{{.Flow}}</em>{{end}}{{if .Reason}}. {{.Reason}}{{end}}</p>
<table><tr><th></th><th>check</th><th>where</th><th>message</th><th>expected</th><th>actual</th></tr>
{{range .Findings}}<tr class="{{if .Accepted}}accepted{{else}}new{{end}}"><td>{{if .Accepted}}baseline{{else}}new{{end}}</td><td>{{.Check}}</td><td><code>{{.Where}}</code></td><td>{{.Message}}{{if gt .Count 1}} (×{{.Count}}){{end}}</td><td>{{.Expected}}</td><td>{{.Actual}}</td></tr>
{{end}}</table>
{{range .Exchanges}}<details><summary>{{.Check}}{{if .Status}}: {{.Status}} in {{.Latency}}{{end}}{{if .Error}}: {{.Error}}{{end}}</summary>
{{if .Request}}<p>Request</p><pre>{{.Request}}</pre>{{end}}{{if .Response}}<p>Response</p><pre>{{.Response}}</pre>{{end}}</details>
{{end}}</section>
{{end}}{{end}}
{{if .Inferred}}<h2>Inferred parts of the description</h2>
<p>Parts marked <code>x-vendormock-inferred</code> that the sandbox confirmed or contradicted.</p>
<table><tr><th>operation</th><th>item</th><th>verdict</th><th>detail</th></tr>
{{range .Inferred}}<tr><td><code>{{.Operation}}</code></td><td><code>{{.Item}}</code></td><td class="{{if eq .Verdict "confirmed"}}ok{{else if eq .Verdict "contradicted"}}bad{{else}}skip{{end}}">{{.Verdict}}</td><td>{{.Detail}}</td></tr>
{{end}}</table>{{end}}
<h2>Operations</h2>
<table><tr><th>operation</th><th>state</th><th>status</th><th>latency</th><th>findings</th><th>note</th></tr>
{{range .Operations}}<tr><td><code>{{.Name}}</code></td><td class="{{if eq .State "passed"}}ok{{else if eq .State "drift"}}bad{{else}}skip{{end}}">{{.State}}</td><td>{{if .Status}}{{.Status}}{{end}}</td><td>{{if ne .State "skipped"}}{{.Latency}}{{end}}</td><td>{{len .Findings}}</td><td>{{.Reason}}</td></tr>
{{end}}</table>
</body>
</html>
`))
})
