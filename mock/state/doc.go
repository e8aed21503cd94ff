// Package state is the in-memory record store behind vendormock's stateful mocks: named
// collections of JSON-compatible records, isolated per session by copy-on-write over a shared
// seed state, queried with filters, search, sorting and pagination, and persisted atomically
// as one JSON document.
//
// The package knows nothing about OpenAPI or HTTP: the mock server infers collections from
// the specs, builds the seed records and calls this API from its request pipeline. It
// imports none of our packages.
//
// # Sessions and copy-on-write
//
// Every session starts from the base installed with [Store.SetBase]. A session shares the
// base's per-collection data until it first writes to a collection; only then is that
// collection's index copied (the records themselves are never copied, because stored
// records are immutable: every write stores a new map). Export freezes the data it
// snapshots the same way, so a save never holds a lock while it writes to disk.
//
// # Records
//
// A [Record] is a map[string]any holding JSON-compatible values. Records handed to the
// store and records it returns must not be modified by the caller; the store never
// modifies them either. Ids are compared in their string form, so "5" finds the integer 5.
//
// # Persistence
//
// [Store.Export] writes every session, and for each session only the collections that
// differ from the base (the rest come from the base again on import), as a deterministic
// JSON document; [Store.ExportFull] writes every collection. [Store.SaveFile] replaces a
// file atomically (temporary file, fsync, rename, fsync of the directory) and
// [Store.Autosave] calls it at most once per interval after changes.
//
// # Extensions
//
// State that is not records (the mock server's issued tokens) joins the document through an
// [Extension] registered with [Store.Register]: it is exported under "extensions", imported
// all-or-nothing with the records, and reset with [Store.Reset] and [Store.ResetAll].
// Documents without "extensions" (written before they existed) still load.
package state
