// Package specs loads OpenAPI 3.0/3.1 descriptions with libopenapi and turns them into a Catalog of
// vendors and operations that the mock server and the contract runner share.
//
// The bundled vendor descriptions live next to this file, one folder per vendor
// (specs/<vendor>/openapi.yaml), and are embedded in the binary. Users can load their own files,
// split over several files with relative $refs. Load errors name the file and, where known, the
// JSON pointer of the problem.
//
// A long-running server loads with Options.Detach: each vendor then keeps a copy of its
// high-level model without libopenapi's low-level objects, index and node trees (see
// Vendor.Detached), which is what most of a parsed description's memory is. The contract
// runner and the lint command keep the parsed model, whose objects name their lines.
//
// specs imports none of vendormock's other packages.
package specs
