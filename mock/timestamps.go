package mock

import (
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/pb33f/libopenapi/datamodel/high/base"

	"github.com/vendormock/vendormock/mock/state"
)

// stampField is a server-owned timestamp of a resource: set when a record is created
// (createdAt, created_at, SecDateTEntry) or on every write (updatedAt, DateTStamp).
type stampField struct {
	name   string
	create bool   // set on create only; otherwise on every create, update and replace
	layout string // time layout of string values
	unix   int64  // for integer values: 1 for seconds, 1000 for milliseconds since the epoch
}

// Names of server-owned timestamps, lower-case without "_" and "-": the vendors' own
// (HeyDonto createdAt, Hero Health created_at, Kana create_timestamp, Open Dental
// SecDateTEntry/DateTStamp) and common conventions.
var (
	createdNames = nameSet("createdat", "createdon", "createddate", "createdtime", "createdtimestamp", "created",
		"createtimestamp", "createtime", "creationdate", "creationtime", "creationtimestamp", "datecreated", "insertedat",
		"secdatetentry", "secdateentry", "datetentry", "datetimeentry", "dateentry", "dateentryc", "datetcreated",
		"datetimecreated")
	updatedNames = nameSet("updatedat", "updatedon", "updateddate", "updatedtime", "updatedtimestamp", "updated",
		"updatetimestamp", "updatetime", "modifiedat", "modifiedon", "modifieddate", "modified", "lastmodified",
		"lastmodifiedat", "lastmodifieddate", "lastupdated", "lastupdatedat", "datemodified", "dateupdated",
		"datetstamp", "secdatetedit")
	// Examples and patterns that say how a timestamp is written.
	isoExample   = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$`)
	spaceExample = regexp.MustCompile(`^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$`)
	dateExample  = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
)

const (
	layoutISO   = time.RFC3339
	layoutSpace = "2006-01-02 15:04:05"
	layoutDate  = "2006-01-02"
)

func nameSet(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// normalName lower-cases a property name and drops "_" and "-" (createdAt, created_at and
// Created-At all give createdat). ASCII names, all real ones, take one allocation.
func normalName(name string) string {
	b := make([]byte, 0, len(name))
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c >= 0x80:
			return strings.ToLower(strings.ReplaceAll(strings.ReplaceAll(name, "_", ""), "-", ""))
		case c == '_' || c == '-':
		case 'A' <= c && c <= 'Z':
			b = append(b, c+'a'-'A')
		default:
			b = append(b, c)
		}
	}
	return string(b)
}

// inferStamps finds a resource's server-owned timestamps: a recognised name on a string (or
// untyped) or integer property. The written form comes from the property's format, pattern or
// example, else from the resource's other date-time fields (Open Dental writes
// "2006-01-02 15:04:05"), else RFC 3339.
func inferStamps(fields map[string]*base.Schema) []stampField {
	names := make([]string, 0, len(fields))
	for n := range fields {
		names = append(names, n)
	}
	sort.Strings(names)
	fallback := ""
	for _, n := range names {
		if l := layoutOf(fields[n]); l == layoutISO || l == layoutSpace || strings.HasPrefix(l, "2006-01-02T") {
			fallback = l
			break
		}
	}
	if fallback == "" {
		fallback = layoutISO
	}
	var out []stampField
	for _, n := range names {
		s := fields[n]
		l := normalName(n)
		create, update := createdNames[l], updatedNames[l]
		if s == nil || !create && !update {
			continue
		}
		f := stampField{name: n, create: create}
		switch {
		case hasType(s, "integer") || hasType(s, "number"):
			if hasType(s, "string") {
				continue // an ambiguous union: leave it to the generator
			}
			f.unix = 1
			if d := strings.ToLower(s.Description); strings.Contains(d, "millisecond") || strings.Contains(d, "ms since") {
				f.unix = 1000
			}
		case len(s.Type) == 0 || hasType(s, "string"):
			f.layout = layoutOf(s)
			if f.layout == "" {
				f.layout = fallback
			}
		default:
			continue
		}
		out = append(out, f)
	}
	return out
}

// layoutOf reads how a string schema writes a time ("" when it does not say).
func layoutOf(s *base.Schema) string {
	if s == nil {
		return ""
	}
	example := ""
	if s.Example != nil {
		example = s.Example.Value
	}
	switch {
	case s.Format == "date":
		return layoutDate
	case s.Format == "date-time":
		if l := exampleLayout(example); l != "" && l != layoutDate && l != layoutSpace {
			return l
		}
		return layoutISO
	case strings.Contains(s.Pattern, `\d{2}:\d{2}:\d{2}`):
		if strings.Contains(s.Pattern, "T") {
			return layoutISO
		}
		return layoutSpace
	case s.Pattern != "" && strings.Contains(s.Pattern, `\d{4}-\d{2}-\d{2}`):
		return layoutDate
	}
	return exampleLayout(example)
}

// exampleLayout is the layout an example timestamp is written in ("" when it is none).
func exampleLayout(ex string) string {
	switch {
	case isoExample.MatchString(ex):
		frac := ""
		if i := strings.IndexByte(ex, '.'); i > 0 {
			rest := ex[i+1:]
			digits := len(rest) - len(strings.TrimLeft(rest, "0123456789"))
			frac = "." + strings.Repeat("0", digits)
		}
		return "2006-01-02T15:04:05" + frac + "Z07:00"
	case spaceExample.MatchString(ex):
		return layoutSpace
	case dateExample.MatchString(ex):
		return layoutDate
	}
	return ""
}

func (f stampField) value(now time.Time) any {
	if f.unix > 0 {
		if f.unix == 1000 {
			return now.UnixMilli()
		}
		return now.Unix()
	}
	return now.UTC().Format(f.layout)
}

// stampRecord sets the server-owned timestamps of a record about to be stored: created ones
// on create (and kept from old afterwards), updated ones on every write. A field the client
// sent and the request body lets it write (declared, not readOnly) keeps the client's value.
func (o *opRuntime) stampRecord(rec, old state.Record, sent map[string]any, create bool) state.Record {
	if len(o.res.stamps) == 0 {
		return rec
	}
	now := o.s.opts.Now()
	var writable map[string]*base.Schema // the request body's properties, read only when needed
	for _, f := range o.res.stamps {
		if _, ok := sent[f.name]; ok {
			if writable == nil {
				writable = o.requestFields()
			}
			if ps := writable[f.name]; ps != nil && (ps.ReadOnly == nil || !*ps.ReadOnly) {
				continue
			}
		}
		switch {
		case !f.create || create:
			rec[f.name] = f.value(now)
		case old != nil:
			if v, ok := old[f.name]; ok {
				rec[f.name] = v
			} else {
				delete(rec, f.name)
			}
		}
	}
	return rec
}

// stampNames lists a resource's created and updated timestamps for GET /__admin/resources.
func (r *resource) stampNames() (created, updated []string) {
	for _, f := range r.stamps {
		if f.create {
			created = append(created, f.name)
		} else {
			updated = append(updated, f.name)
		}
	}
	return created, updated
}
