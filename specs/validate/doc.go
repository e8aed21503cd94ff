// Package validate checks requests, responses and values against a vendor's OpenAPI description and
// returns typed findings that say where (path, query, header, cookie, body, status), which field
// (parameter name or JSON pointer), what the description expects and what was sent.
//
// Schemas are written out with specs.RenderJSONSchema and compiled once per schema and
// direction; request bodies are checked, and failures explained, from those compiled schemas.
// Parameters and answer headers go through libopenapi-validator, against the operation's
// path item, or for a detached vendor its path item over the vendor's parameter document.
// validate imports only specs.
package validate
