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
// records are immutable: every write stores a new one). Export freezes the data it
// snapshots the same way, so a save never holds a lock while it writes to disk.
//
// # Records
//
// A [Record] is a map[string]any holding JSON-compatible values. Records handed to the
// store and records it returns must not be modified by the caller; the store never
// modifies them either. Ids are compared in their string form, so "5" finds the integer 5.
//
// # Compact records
//
// The store does not keep the maps it is given: a write freezes the record into an immutable
// compact form (record.go), its shape and its data. The shape is the sorted key list,
// interned per collection so that records with the same keys share one (up to 1,024 shapes
// per collection; past that, records with yet other key sets share the collection's wide
// shape, the union of their keys, with the keys a record lacks marked absent in one byte
// each, and a record that would leave too much absent gets a shape of its own). The data is one
// string: a flags byte, checkpoint offsets (uint16, or uint32 for records over 64 KiB) of
// every fourth value, and the values in key order in a tagged binary encoding (codec.go).
// The tag byte carries the Go type, so every type callers store (each integer and float
// type, json.Number, string, bool, nil, []any and map[string]any, nil or empty) comes back
// as it went in, equal under reflect.DeepEqual; values of other types, and nesting deeper
// than 512 levels, are kept aside as they are. Short strings and small integers fit their
// length or value into the tag, arrays and objects carry their length so that a reader skips
// them at once, and a reader finds one field from the checkpoint before it by skipping at
// most three values. Strings a collection repeats (enum values, names and notes the generator
// picks from lists) are written as an index into the collection's dictionary once they have
// been seen twice (dict.go; bounded at 1,024 strings of 3 to 64 bytes, and not used for the
// base's records). An Open Dental patient (45 fields, 1,090 bytes of JSON) takes about 560
// bytes of heap this way when its fields vary from record to record, and about 360 when
// they repeat; its map took 3,500.
//
// Filters, search and sorting read the fields they need from the compact form, as views that
// do not allocate (view.go); dotted paths walk encoded objects and decode only the arrays
// they run into. Only the records a Get, List or Update hands out are decoded into maps, and
// those are cached: the frozen record keeps a weak pointer to its map, so that every map
// decoded since the last garbage collection is found again, and the store's ring of the 256
// maps decoded or read last keeps hot records alive through collections (and bounds the
// memory the cache holds). The map a Create, Replace, Merge or Update returns is the one
// cached. Cached maps are shared by every reader, as stored maps were before, so
// they must not be modified either. Export writes each record's map (cached or decoded for
// the export only), so documents are byte for byte what they were.
//
// # Persistence
//
// [Store.Export] writes every session, and for each session only the collections that
// differ from the base (the rest come from the base again on import), as a deterministic
// JSON document; [Store.ExportFull] writes every collection. [Store.SaveFile] replaces a
// file atomically (temporary file, fsync, rename, fsync of the directory) and
// [Store.Autosave] calls it at most once per interval after changes.
// [Store.Import] (and [Store.LoadFile]) reads a document as a stream: records are decoded
// and frozen one at a time, so loading holds little more than the state it loads. A key
// given twice in the document's own objects is refused. The whole document is checked before
// anything changes.
//
// # Extensions
//
// State that is not records (the mock server's issued tokens) joins the document through an
// [Extension] registered with [Store.Register]: it is exported under "extensions", imported
// all-or-nothing with the records, and reset with [Store.Reset] and [Store.ResetAll].
// Documents without "extensions" (written before they existed) still load.
package state
