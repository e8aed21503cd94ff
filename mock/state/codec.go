package state

import (
	"encoding/binary"
	"encoding/json"
	"math"
	"slices"
)

// The compact encoding of stored values (see "Compact records" in doc.go). Every value
// starts with a tag byte; the Go type of the value is part of the tag, so decoding gives
// back exactly the types that were encoded.
const (
	tagNil       byte = iota
	tagFalse          // false
	tagTrue           // true
	tagNilArray       // []any(nil)
	tagNilObject      // map[string]any(nil)
	tagInt64          // zigzag varint
	tagInt            // zigzag varint
	tagInt32          // zigzag varint
	tagInt16          // zigzag varint
	tagInt8           // zigzag varint
	tagUint64         // varint
	tagUint           // varint
	tagUint32         // varint
	tagUint16         // varint
	tagUint8          // varint
	tagFloat64        // 8 bytes, little endian IEEE 754 bits
	tagFloat32        // 4 bytes, little endian IEEE 754 bits
	tagNumber         // json.Number: varint length, text
	tagString         // varint length, bytes: strings of maxShortString bytes or more
	tagArray          // []any: varint count, varint body length, the elements
	tagObject         // map[string]any: varint count, varint body length, (varint key length, key, value)* by key
	tagOther          // varint index into the record's other values (shape.other)
	tagDict           // varint index into the collection's dictionary (dict.go)
	tagAbsent         // a key of a wide shape the record does not have (top level only)

	tagSmallInt    byte = 0x40 // 0x40+n: int64 n for 0 <= n < maxSmallInt
	tagShortString byte = 0x80 // 0x80+n: a string of n < maxShortString bytes
)

const (
	maxSmallInt    = 0x40
	maxShortString = 0x80
	// maxEncodeDepth bounds the nesting the codec encodes; deeper values (a cyclic map,
	// say) are kept as they are, as other values.
	maxEncodeDepth = 512
)

// encoder writes values in the compact encoding. It is reused through encoders.
type encoder struct {
	buf   []byte
	keys  []string // scratch: sorted keys of the objects being encoded, as a stack
	cps   []int    // checkpoint offsets of the record being encoded
	other []any    // values kept as they are
	sig   []byte   // scratch: a shape's signature
	dict  *dict    // the collection's dictionary, nil for none
}

func (e *encoder) reset() {
	e.buf = e.buf[:0]
	clear(e.keys)
	e.keys = e.keys[:0]
	e.cps = e.cps[:0]
	clear(e.other)
	e.other = e.other[:0]
}

func (e *encoder) uvarint(n uint64) { e.buf = binary.AppendUvarint(e.buf, n) }

func (e *encoder) zigzag(tag byte, n int64) {
	e.buf = append(e.buf, tag)
	e.uvarint(uint64(n<<1) ^ uint64(n>>63))
}

func (e *encoder) unsigned(tag byte, n uint64) {
	e.buf = append(e.buf, tag)
	e.uvarint(n)
}

func (e *encoder) str(s string) {
	if e.dict != nil {
		if i, ok := e.dict.id(s); ok {
			e.unsigned(tagDict, i)
			return
		}
	}
	if len(s) < maxShortString {
		e.buf = append(e.buf, tagShortString+byte(len(s)))
	} else {
		e.buf = append(e.buf, tagString)
		e.uvarint(uint64(len(s)))
	}
	e.buf = append(e.buf, s...)
}

// value appends the encoding of v.
func (e *encoder) value(v any, depth int) {
	switch t := v.(type) {
	case nil:
		e.buf = append(e.buf, tagNil)
	case string:
		e.str(t)
	case bool:
		if t {
			e.buf = append(e.buf, tagTrue)
		} else {
			e.buf = append(e.buf, tagFalse)
		}
	case int64:
		if t >= 0 && t < maxSmallInt {
			e.buf = append(e.buf, tagSmallInt+byte(t))
		} else {
			e.zigzag(tagInt64, t)
		}
	case float64:
		e.buf = append(e.buf, tagFloat64)
		e.buf = binary.LittleEndian.AppendUint64(e.buf, math.Float64bits(t))
	case int:
		e.zigzag(tagInt, int64(t))
	case map[string]any:
		switch {
		case t == nil:
			e.buf = append(e.buf, tagNilObject)
		case depth >= maxEncodeDepth:
			e.keep(v)
		default:
			e.object(t, depth)
		}
	case []any:
		switch {
		case t == nil:
			e.buf = append(e.buf, tagNilArray)
		case depth >= maxEncodeDepth:
			e.keep(v)
		default:
			start := len(e.buf)
			for _, el := range t {
				e.value(el, depth+1)
			}
			e.header(start, tagArray, len(t))
		}
	case json.Number:
		e.buf = append(e.buf, tagNumber)
		e.uvarint(uint64(len(t)))
		e.buf = append(e.buf, t...)
	case int32:
		e.zigzag(tagInt32, int64(t))
	case int16:
		e.zigzag(tagInt16, int64(t))
	case int8:
		e.zigzag(tagInt8, int64(t))
	case uint64:
		e.unsigned(tagUint64, t)
	case uint:
		e.unsigned(tagUint, uint64(t))
	case uint32:
		e.unsigned(tagUint32, uint64(t))
	case uint16:
		e.unsigned(tagUint16, uint64(t))
	case uint8:
		e.unsigned(tagUint8, uint64(t))
	case float32:
		e.buf = append(e.buf, tagFloat32)
		e.buf = binary.LittleEndian.AppendUint32(e.buf, math.Float32bits(t))
	default:
		e.keep(v)
	}
}

// keep stores v as it is, outside the encoding.
func (e *encoder) keep(v any) {
	e.unsigned(tagOther, uint64(len(e.other)))
	e.other = append(e.other, v)
}

// object appends a non-nil object, its members sorted by key.
func (e *encoder) object(m map[string]any, depth int) {
	base := len(e.keys)
	for k := range m {
		e.keys = append(e.keys, k)
	}
	slices.Sort(e.keys[base:])
	start := len(e.buf)
	for i := base; i < base+len(m); i++ {
		k := e.keys[i] // e.keys may grow (and move) while the members are encoded
		e.uvarint(uint64(len(k)))
		e.buf = append(e.buf, k...)
		e.value(m[k], depth+1)
	}
	clear(e.keys[base:])
	e.keys = e.keys[:base]
	e.header(start, tagObject, len(m))
}

// header puts tag, count and the body length in front of the body written from start.
func (e *encoder) header(start int, tag byte, count int) {
	body := len(e.buf) - start
	var hdr [1 + 2*binary.MaxVarintLen64]byte
	h := append(hdr[:0], tag)
	h = binary.AppendUvarint(h, uint64(count))
	h = binary.AppendUvarint(h, uint64(body))
	e.buf = append(e.buf, h...)
	copy(e.buf[start+len(h):], e.buf[start:start+body])
	copy(e.buf[start:], h)
}

// Reading. The encoding is trusted: it was written by encoder, so the readers do not check
// bounds beyond what Go checks anyway.

// uvarintAt reads a varint at pos.
func uvarintAt(d string, pos int) (uint64, int) {
	var x uint64
	var s uint
	for {
		b := d[pos]
		pos++
		if b < 0x80 {
			return x | uint64(b)<<s, pos
		}
		x |= uint64(b&0x7f) << s
		s += 7
	}
}

func unzigzag(u uint64) int64 { return int64(u>>1) ^ -int64(u&1) }

func uint64At(d string, pos int) uint64 {
	_ = d[pos+7]
	return uint64(d[pos]) | uint64(d[pos+1])<<8 | uint64(d[pos+2])<<16 | uint64(d[pos+3])<<24 |
		uint64(d[pos+4])<<32 | uint64(d[pos+5])<<40 | uint64(d[pos+6])<<48 | uint64(d[pos+7])<<56
}

func uint32At(d string, pos int) uint32 {
	_ = d[pos+3]
	return uint32(d[pos]) | uint32(d[pos+1])<<8 | uint32(d[pos+2])<<16 | uint32(d[pos+3])<<24
}

// skip returns the position after the value at pos.
func skip(d string, pos int) int {
	t := d[pos]
	pos++
	switch {
	case t >= tagShortString:
		return pos + int(t-tagShortString)
	case t >= tagSmallInt:
		return pos
	}
	switch t {
	case tagFloat64:
		return pos + 8
	case tagFloat32:
		return pos + 4
	case tagNumber, tagString:
		n, p := uvarintAt(d, pos)
		return p + int(n)
	case tagArray, tagObject:
		_, p := uvarintAt(d, pos)
		n, p := uvarintAt(d, p)
		return p + int(n)
	case tagNil, tagFalse, tagTrue, tagNilArray, tagNilObject, tagAbsent:
		return pos
	}
	for d[pos] >= 0x80 { // the varint of a number or an other value
		pos++
	}
	return pos + 1
}

// decodeAt decodes the value at pos of a record of shape sh (its other values and its
// collection's dictionary) and returns it with the position after it.
func decodeAt(d string, pos int, sh *shape) (any, int) {
	t := d[pos]
	pos++
	switch {
	case t >= tagShortString:
		end := pos + int(t-tagShortString)
		return d[pos:end], end
	case t >= tagSmallInt:
		return int64(t - tagSmallInt), pos
	}
	switch t {
	case tagNil:
		return nil, pos
	case tagFalse:
		return false, pos
	case tagTrue:
		return true, pos
	case tagNilArray:
		return []any(nil), pos
	case tagNilObject:
		return map[string]any(nil), pos
	case tagFloat64:
		return math.Float64frombits(uint64At(d, pos)), pos + 8
	case tagFloat32:
		return math.Float32frombits(uint32At(d, pos)), pos + 4
	case tagString:
		n, p := uvarintAt(d, pos)
		return d[p : p+int(n)], p + int(n)
	case tagNumber:
		n, p := uvarintAt(d, pos)
		return json.Number(d[p : p+int(n)]), p + int(n)
	case tagArray:
		n, p := uvarintAt(d, pos)
		size, p := uvarintAt(d, p)
		return decodeArray(d[p:p+int(size)], int(n), sh), p + int(size)
	case tagObject:
		n, p := uvarintAt(d, pos)
		size, p := uvarintAt(d, p)
		return decodeObject(d[p:p+int(size)], int(n), sh), p + int(size)
	}
	u, pos := uvarintAt(d, pos)
	switch t {
	case tagInt64:
		return unzigzag(u), pos
	case tagInt:
		return int(unzigzag(u)), pos
	case tagInt32:
		return int32(unzigzag(u)), pos
	case tagInt16:
		return int16(unzigzag(u)), pos
	case tagInt8:
		return int8(unzigzag(u)), pos
	case tagUint64:
		return u, pos
	case tagUint:
		return uint(u), pos
	case tagUint32:
		return uint32(u), pos
	case tagUint16:
		return uint16(u), pos
	case tagUint8:
		return uint8(u), pos
	case tagDict:
		return sh.dict.str(u), pos
	}
	return sh.other[u], pos // tagOther
}

// decodeArray decodes the n elements of an array body.
func decodeArray(body string, n int, sh *shape) []any {
	out := make([]any, n)
	pos := 0
	for i := range out {
		out[i], pos = decodeAt(body, pos, sh)
	}
	return out
}

// decodeObject decodes the n members of an object body.
func decodeObject(body string, n int, sh *shape) map[string]any {
	out := make(map[string]any, n)
	pos := 0
	for range n {
		var k string
		k, pos = keyAt(body, pos)
		out[k], pos = decodeAt(body, pos, sh)
	}
	return out
}

// keyAt reads an object member's key.
func keyAt(body string, pos int) (string, int) {
	n, p := uvarintAt(body, pos)
	return body[p : p+int(n)], p + int(n)
}
