// Package scenarios parses and checks scenario files and decides, per request, which scenario
// rule answers it: a status and body in the vendor's own error shape, a delay, a fault, a rate
// limit, a sequence of answers, or pagination settings for the state layer.
//
// Files live in <vendor>/*.yaml: the bundled ones are embedded (Bundled), users add their own
// directories (Dir). Load checks every file against a *specs.Catalog (unknown vendor, operation,
// path or status, literal bodies that do not validate against the documented schema) and reports
// each problem with file and line. NewEngine holds the runtime state: which scenarios are active
// (run flag, admin activation, per-request header) and each rule's counters and rate windows.
//
// Templates read the request's stored records through State, an interface the server implements
// and passes in with each Request. The package imports specs and specs/validate only; it never
// imports mock.
package scenarios
