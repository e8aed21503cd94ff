package state

import (
	"math"
	"slices"
	"strconv"

	"github.com/vendormock/vendormock/internal/jsonw"
)

// Row is a stored record as Rows returns it: it encodes to JSON straight from its compact
// form (AppendJSON), or gives its map (Record).
type Row struct {
	f *frozen
	s *Store
}

// RowPage is one page of Rows.
type RowPage struct {
	// Rows are the records of the page, in order.
	Rows []Row
	// Total counts every match, before Offset and Limit.
	Total int
}

// Record is the row as a map, from the store's cache of decoded records or decoded (and
// then cached). Like every record the store hands out, it must not be modified.
func (r Row) Record() Record { return r.s.record(r.f) }

// Fields is a projection of records onto some of their keys, for Row.AppendJSON. Make one
// per set of keys and keep it: each shape of records remembers how its keys map onto the
// Fields that encoded one of its records last.
type Fields struct {
	keys jsonw.Keys
}

// NewFields prepares a projection onto names (sorted, as encoding/json orders map keys).
func NewFields(names []string) *Fields {
	sorted := slices.Clone(names)
	slices.Sort(sorted)
	return &Fields{keys: jsonw.NewKeys(slices.Compact(sorted))}
}

// Keys are the projection's keys, sorted, for jsonw.AppendObject.
func (fs *Fields) Keys() jsonw.Keys { return fs.keys }

// fieldPlan maps the keys of a shape onto a Fields.
type fieldPlan struct {
	fields *Fields
	at     []int32 // for each shape key, the index of the same key in the Fields, or -1
	end    int     // one past the last shape key the Fields holds
}

// planFor returns how sh's keys map onto fs: remembered by the shape, or merged anew (both
// key lists are sorted).
func (sh *shape) planFor(fs *Fields) *fieldPlan {
	if p := sh.plan.Load(); p != nil && p.fields == fs {
		return p
	}
	names := fs.keys.Names()
	p := &fieldPlan{fields: fs, at: make([]int32, len(sh.keys))}
	j := 0
	for i, k := range sh.keys {
		for j < len(names) && names[j] < k {
			j++
		}
		p.at[i] = -1
		if j < len(names) && names[j] == k {
			p.at[i] = int32(j)
			p.end = i + 1
		}
	}
	sh.plan.Store(p)
	return p
}

// AppendJSON appends the row's fields that fs holds as a JSON object, in fs's key order:
// exactly what jsonw.AppendObject(dst, r.Record(), fs.Keys()) appends, without the map.
func (r Row) AppendJSON(dst []byte, fs *Fields) ([]byte, error) {
	f := r.f
	p := f.shape.planFor(fs)
	dst = append(dst, '{')
	pos, _ := f.start()
	first := true
	for i := 0; i < p.end; i++ {
		j := p.at[i]
		if j < 0 {
			pos = skip(f.data, pos)
			continue
		}
		if f.data[pos] == tagAbsent {
			pos++
			continue
		}
		if !first {
			dst = append(dst, ',')
		}
		first = false
		dst = append(dst, fs.keys.Key(int(j))...)
		var err error
		if dst, pos, err = appendJSONAt(dst, f.data, pos, f.shape, 1); err != nil {
			return dst, err
		}
	}
	return append(dst, '}'), nil
}

// appendJSONAt appends the JSON of the value at pos, depth levels down the answer, and
// returns the position after it.
// Scalars, arrays and objects are written from their encoding (object members are stored
// sorted by key, as encoding/json orders them); json.Number and other values are decoded
// and written by jsonw, as the decoded map's value would be.
func appendJSONAt(dst []byte, d string, pos int, sh *shape, depth int) ([]byte, int, error) {
	if err := jsonw.CheckDepth(depth); err != nil {
		return dst, pos, err
	}
	t := d[pos]
	switch {
	case t >= tagShortString:
		end := pos + 1 + int(t-tagShortString)
		return jsonw.AppendString(dst, d[pos+1:end]), end, nil
	case t >= tagSmallInt:
		return strconv.AppendInt(dst, int64(t-tagSmallInt), 10), pos + 1, nil
	}
	switch t {
	case tagNil, tagNilArray, tagNilObject:
		return append(dst, "null"...), pos + 1, nil
	case tagFalse:
		return append(dst, "false"...), pos + 1, nil
	case tagTrue:
		return append(dst, "true"...), pos + 1, nil
	case tagFloat64:
		dst, err := jsonw.AppendFloat(dst, math.Float64frombits(uint64At(d, pos+1)), 64)
		return dst, pos + 9, err
	case tagFloat32:
		dst, err := jsonw.AppendFloat(dst, float64(math.Float32frombits(uint32At(d, pos+1))), 32)
		return dst, pos + 5, err
	case tagString:
		n, p := uvarintAt(d, pos+1)
		end := p + int(n)
		return jsonw.AppendString(dst, d[p:end]), end, nil
	case tagInt64, tagInt, tagInt32, tagInt16, tagInt8:
		u, p := uvarintAt(d, pos+1)
		return strconv.AppendInt(dst, unzigzag(u), 10), p, nil
	case tagUint64, tagUint, tagUint32, tagUint16, tagUint8:
		u, p := uvarintAt(d, pos+1)
		return strconv.AppendUint(dst, u, 10), p, nil
	case tagDict:
		u, p := uvarintAt(d, pos+1)
		return jsonw.AppendString(dst, sh.dict.str(u)), p, nil
	case tagArray, tagObject:
		n, p := uvarintAt(d, pos+1)
		size, p := uvarintAt(d, p)
		end := p + int(size)
		open, closing := byte('['), byte(']')
		if t == tagObject {
			open, closing = '{', '}'
		}
		dst = append(dst, open)
		for i := range n {
			if i > 0 {
				dst = append(dst, ',')
			}
			if t == tagObject { // members are stored by key, the order encoding/json writes
				var k string
				k, p = keyAt(d, p)
				dst = append(jsonw.AppendString(dst, k), ':')
			}
			var err error
			if dst, p, err = appendJSONAt(dst, d, p, sh, depth+1); err != nil {
				return dst, end, err
			}
		}
		return append(dst, closing), end, nil
	}
	v, end := decodeAt(d, pos, sh)
	dst, err := jsonw.AppendAt(dst, v, depth)
	return dst, end, err
}
