// Package contract checks a real vendor sandbox against a vendor description and builds the drift
// Report: for every selected operation it sends a valid request (built by internal/reqgen from
// examples, fixtures and generated values) through an injected *http.Client, checks the answer
// with specs/validate (documented status, content type, body schema, response headers, and with
// Strict undeclared properties), runs negative checks (no credentials, invalid body) and records
// latency. In full mode it runs create → read → update → list → delete flows and cleans up what it
// created. Reports are redacted (credentials always, personal data by default) before they are
// written as JSON, JUnit XML, Markdown or HTML.
//
// contract imports specs, specs/validate, internal/reqgen and mock/fake; it never imports mock
// (tests do, to check the mock against its own descriptions).
package contract
