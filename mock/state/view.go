package state

import (
	"encoding/json"
	"math"
)

// view is one value as filters, search and sorting see it, read from a frozen record
// without decoding it into an any (no allocation), or wrapping a Go value.
type view struct {
	k vkind
	s string // vString and vNumber: the text; an encoded vArray or vObject: its body
	n uint64 // vBool: 0 or 1; vInt: the int64; vFloat: the float64 bits; encoded vArray or vObject: the count
	o any    // a Go vArray ([]any) or vObject (map[string]any), or the value of a vOther
	// sh is the shape of the record an encoded vArray or vObject comes from: its other values
	// and its collection's dictionary.
	sh *shape
}

type vkind uint8

const (
	vNil    vkind = iota
	vBool         // bool
	vString       // string
	vInt          // every integer type whose value fits an int64
	vFloat        // float64, float32, and uint64 values over math.MaxInt64
	vNumber       // json.Number
	vArray        // []any, nil or not
	vObject       // map[string]any, nil or not
	vOther        // any other type
)

// viewOf wraps a Go value.
func viewOf(v any) view {
	switch t := v.(type) {
	case nil:
		return view{k: vNil}
	case string:
		return view{k: vString, s: t}
	case bool:
		if t {
			return view{k: vBool, n: 1}
		}
		return view{k: vBool}
	case int64:
		return view{k: vInt, n: uint64(t)}
	case float64:
		return view{k: vFloat, n: math.Float64bits(t)}
	case int:
		return view{k: vInt, n: uint64(int64(t))}
	case map[string]any:
		return view{k: vObject, o: v}
	case []any:
		return view{k: vArray, o: v}
	case json.Number:
		return view{k: vNumber, s: string(t)}
	case int32:
		return view{k: vInt, n: uint64(int64(t))}
	case int16:
		return view{k: vInt, n: uint64(int64(t))}
	case int8:
		return view{k: vInt, n: uint64(int64(t))}
	case uint64:
		return unsignedView(t)
	case uint:
		return unsignedView(uint64(t))
	case uint32:
		return view{k: vInt, n: uint64(t)}
	case uint16:
		return view{k: vInt, n: uint64(t)}
	case uint8:
		return view{k: vInt, n: uint64(t)}
	case float32:
		return view{k: vFloat, n: math.Float64bits(float64(t))}
	}
	return view{k: vOther, o: v}
}

// unsignedView is an integer, or a float64 past math.MaxInt64 (as toNumber reads it).
func unsignedView(u uint64) view {
	if u <= math.MaxInt64 {
		return view{k: vInt, n: u}
	}
	return view{k: vFloat, n: math.Float64bits(float64(u))}
}

// viewAt reads the value at pos of encoded data from a record of shape sh, and returns the
// position after it.
func viewAt(d string, pos int, sh *shape) (view, int) {
	t := d[pos]
	pos++
	switch {
	case t >= tagShortString:
		end := pos + int(t-tagShortString)
		return view{k: vString, s: d[pos:end]}, end
	case t >= tagSmallInt:
		return view{k: vInt, n: uint64(t - tagSmallInt)}, pos
	}
	switch t {
	case tagNil:
		return view{k: vNil}, pos
	case tagFalse:
		return view{k: vBool}, pos
	case tagTrue:
		return view{k: vBool, n: 1}, pos
	case tagNilArray:
		return view{k: vArray}, pos
	case tagNilObject:
		return view{k: vObject}, pos
	case tagFloat64:
		return view{k: vFloat, n: uint64At(d, pos)}, pos + 8
	case tagFloat32:
		return view{k: vFloat, n: math.Float64bits(float64(math.Float32frombits(uint32At(d, pos))))}, pos + 4
	case tagString, tagNumber:
		n, p := uvarintAt(d, pos)
		k := vString
		if t == tagNumber {
			k = vNumber
		}
		return view{k: k, s: d[p : p+int(n)]}, p + int(n)
	case tagArray, tagObject:
		n, p := uvarintAt(d, pos)
		size, p := uvarintAt(d, p)
		k := vArray
		if t == tagObject {
			k = vObject
		}
		return view{k: k, s: d[p : p+int(size)], n: n, sh: sh}, p + int(size)
	}
	u, pos := uvarintAt(d, pos)
	switch t {
	case tagInt64, tagInt, tagInt32, tagInt16, tagInt8:
		return view{k: vInt, n: uint64(unzigzag(u))}, pos
	case tagUint64, tagUint:
		return unsignedView(u), pos
	case tagUint32, tagUint16, tagUint8:
		return view{k: vInt, n: u}, pos
	case tagDict:
		return view{k: vString, s: sh.dict.str(u)}, pos
	}
	return viewOf(sh.other[u]), pos // tagOther
}

// field reads the value of field i (an index into the shape's keys), and reports false when
// the record lacks it (a wide shape's absent key).
func (f *frozen) field(i int) (view, bool) {
	pos := f.pos(i)
	if f.data[pos] == tagAbsent {
		return view{}, false
	}
	v, _ := viewAt(f.data, pos, f.shape)
	return v, true
}

// number reads a numeric view as toNumber reads the Go value.
func (v view) number() (number, bool) {
	switch v.k {
	case vInt:
		return number{i: int64(v.n), isInt: true}, true
	case vFloat:
		return number{f: math.Float64frombits(v.n)}, true
	case vNumber:
		return parseNumber(v.s)
	case vOther:
		return toNumber(v.o)
	}
	return number{}, false
}

// member finds a member of an object.
func (v view) member(key string) (view, bool) {
	if v.o != nil {
		e, ok := v.o.(map[string]any)[key]
		return viewOf(e), ok
	}
	pos := 0
	for range v.n {
		k, p := keyAt(v.s, pos)
		if k == key {
			e, _ := viewAt(v.s, p, v.sh)
			return e, true
		}
		pos = skip(v.s, p)
	}
	return view{}, false
}

// array returns an array as a Go value, decoding an encoded one.
func (v view) array() []any {
	if v.o != nil {
		return v.o.([]any)
	}
	return decodeArray(v.s, int(v.n), v.sh)
}

// fieldRef finds a field (a dotted path allowed, see lookup) in frozen records, remembering
// where it is in the shape seen last, since the records of a collection mostly share one.
type fieldRef struct {
	field string
	path  []string // nil unless field has a dot
	sh    *shape
	i     int // the field's index in sh, or -1
	root  int // the index of path[0] in sh when the field is not a key, or -1
}

func newFieldRef(field string) fieldRef {
	return fieldRef{field: field, path: splitPath(field)}
}

// lookup is lookup for a frozen record.
func (r *fieldRef) lookup(f *frozen) (view, bool) {
	if f.shape != r.sh {
		r.sh, r.i, r.root = f.shape, f.shape.index(r.field), -1
		if r.path != nil { // also for a key a wide shape's record may lack
			r.root = f.shape.index(r.path[0])
		}
	}
	if r.i >= 0 {
		if v, ok := f.field(r.i); ok || r.path == nil {
			return v, ok
		}
	}
	if r.root < 0 {
		return view{}, false
	}
	v, ok := f.field(r.root)
	if !ok {
		return view{}, false
	}
	return walkView(v, r.path[1:])
}

// walkView is walk over a view.
func walkView(cur view, path []string) (view, bool) {
	for i, p := range path {
		switch cur.k {
		case vObject:
			e, ok := cur.member(p)
			if !ok {
				return view{}, false
			}
			cur = e
		case vArray:
			v, ok := walk(cur.array(), path[i:])
			if !ok {
				return view{}, false
			}
			return viewOf(v), true
		default:
			return view{}, false
		}
	}
	return cur, true
}
