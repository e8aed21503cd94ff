// Package mock is the HTTP server: gorilla/mux routes built from the catalog, and the request
// pipeline route -> security -> validation -> respond (example or generated body) -> write,
// plus the reserved /__admin/ endpoints.
//
// mock imports specs, specs/validate and mock/fake; it never imports contract or cmd.
package mock
