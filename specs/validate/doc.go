// Package validate checks requests, responses and values against a vendor's OpenAPI description and
// returns typed findings that say where (path, query, header, cookie, body, status), which field
// (parameter name or JSON pointer), what the description expects and what was sent.
//
// It wraps libopenapi-validator, built once per vendor so that schemas compile at load time.
// validate imports only specs.
package validate
