// Package jsonw encodes the values the mock answers with (decoded or generated JSON: maps,
// slices, strings, numbers, booleans) without reflection. The output is byte for byte what
// encoding/json writes with SetEscapeHTML(false): object keys sorted, no trailing newline.
// Other types fall back to encoding/json.
package jsonw

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"unicode/utf8"
)

// Marshal encodes v.
func Marshal(v any) ([]byte, error) {
	return Append(make([]byte, 0, 256), v)
}

// Append appends the encoding of v to dst.
func Append(dst []byte, v any) ([]byte, error) {
	var keys []string
	return appendValue(dst, v, &keys, 0)
}

// Appender is a value that encodes itself (a projection of a record, say) without reflection.
type Appender interface {
	AppendJSON(dst []byte) ([]byte, error)
}

// Keys is a list of object keys with each key's encoding (`"key":`) prepared once, for
// AppendObject.
type Keys struct {
	names   []string
	encoded [][]byte
}

// NewKeys prepares names (in the order given) for AppendObject.
func NewKeys(names []string) Keys {
	k := Keys{names: names, encoded: make([][]byte, len(names))}
	for i, n := range names {
		k.encoded[i] = append(AppendString(nil, n), ':')
	}
	return k
}

// Len is the number of keys.
func (k Keys) Len() int { return len(k.names) }

// Names are the keys, in their order. The slice is shared: do not modify it.
func (k Keys) Names() []string { return k.names }

// Key is the encoding of key i with its colon (`"key":`), shared: do not modify it.
func (k Keys) Key(i int) []byte { return k.encoded[i] }

// AppendObject appends m as an object holding only the given keys, in their order; keys that
// m lacks are skipped. With keys sorted, the result is what Marshal writes for that subset of
// m, without building it.
func AppendObject(dst []byte, m map[string]any, keys Keys) ([]byte, error) {
	var scratch []string
	dst = append(dst, '{')
	first := true
	for i, k := range keys.names {
		v, ok := m[k]
		if !ok {
			continue
		}
		if !first {
			dst = append(dst, ',')
		}
		first = false
		dst = append(dst, keys.encoded[i]...)
		var err error
		if dst, err = appendValue(dst, v, &scratch, 1); err != nil {
			return dst, err
		}
	}
	return append(dst, '}'), nil
}

// plain8 reports whether none of the 8 bytes in x needs escaping or UTF-8 checking: each is
// at least 0x20, below 0x80, and neither '"' nor '\\'. (x - n*lo) & ^x & hi is non-zero
// exactly when some byte of x is below n (n <= 0x80).
func plain8(x uint64) bool {
	const lo, hi = 0x0101010101010101, 0x8080808080808080
	ctl := (x - 0x20*lo) & ^x & hi
	q := x ^ ('"' * lo)
	quote := (q - lo) & ^q & hi
	b := x ^ ('\\' * lo)
	backslash := (b - lo) & ^b & hi
	return (ctl | quote | backslash | x&hi) == 0
}

// maxDepth bounds recursion like encoding/json's cycle detection does (a cyclic map would
// otherwise recurse forever).
const maxDepth = 1000

var mapType = reflect.TypeFor[map[string]any]()

// CheckDepth is the error encoding gives for a value depth levels down a document (an
// object's members are one level down), or nil when that depth is allowed.
func CheckDepth(depth int) error {
	if depth > maxDepth {
		return fmt.Errorf("jsonw: nesting deeper than %d (a cycle?)", maxDepth)
	}
	return nil
}

// AppendAt is Append for a value depth levels down a document: nesting is bounded over the
// whole document.
func AppendAt(dst []byte, v any, depth int) ([]byte, error) {
	var keys []string
	return appendValue(dst, v, &keys, depth)
}

func appendValue(dst []byte, v any, scratch *[]string, depth int) ([]byte, error) {
	if err := CheckDepth(depth); err != nil {
		return dst, err
	}
	switch t := v.(type) {
	case nil:
		return append(dst, "null"...), nil
	case Appender:
		return t.AppendJSON(dst)
	case string:
		return AppendString(dst, t), nil
	case bool:
		return strconv.AppendBool(dst, t), nil
	case float64:
		return AppendFloat(dst, t, 64)
	case float32:
		return AppendFloat(dst, float64(t), 32)
	case int:
		return strconv.AppendInt(dst, int64(t), 10), nil
	case int64:
		return strconv.AppendInt(dst, t, 10), nil
	case int32:
		return strconv.AppendInt(dst, int64(t), 10), nil
	case uint64:
		return strconv.AppendUint(dst, t, 10), nil
	case json.Number:
		if t == "" {
			return append(dst, '0'), nil
		}
		if !isValidNumber(string(t)) {
			return dst, fmt.Errorf("jsonw: invalid number literal %q", string(t))
		}
		return append(dst, t...), nil
	case map[string]any:
		return appendMap(dst, t, scratch, depth)
	case []any:
		if t == nil {
			return append(dst, "null"...), nil
		}
		dst = append(dst, '[')
		for i, e := range t {
			if i > 0 {
				dst = append(dst, ',')
			}
			var err error
			if dst, err = appendValue(dst, e, scratch, depth+1); err != nil {
				return dst, err
			}
		}
		return append(dst, ']'), nil
	case []string:
		if t == nil {
			return append(dst, "null"...), nil
		}
		dst = append(dst, '[')
		for i, e := range t {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = AppendString(dst, e)
		}
		return append(dst, ']'), nil
	case json.Marshaler:
		return appendStd(dst, v)
	}
	// Named map and slice types (a record type defined as map[string]any) convert without a copy.
	rv := reflect.ValueOf(v)
	switch {
	case rv.Kind() == reflect.Map && rv.Type().ConvertibleTo(mapType) && !implementsMarshaler(rv.Type()):
		return appendMap(dst, rv.Convert(mapType).Interface().(map[string]any), scratch, depth)
	case rv.Kind() == reflect.Slice && rv.Type().Elem().Kind() != reflect.Uint8 && !implementsMarshaler(rv.Type()):
		if rv.IsNil() {
			return append(dst, "null"...), nil
		}
		dst = append(dst, '[')
		for i := 0; i < rv.Len(); i++ {
			if i > 0 {
				dst = append(dst, ',')
			}
			var err error
			if dst, err = appendValue(dst, rv.Index(i).Interface(), scratch, depth+1); err != nil {
				return dst, err
			}
		}
		return append(dst, ']'), nil
	}
	return appendStd(dst, v)
}

func implementsMarshaler(t reflect.Type) bool {
	return t.Implements(reflect.TypeFor[json.Marshaler]()) || t.Implements(reflect.TypeFor[interface{ MarshalText() ([]byte, error) }]())
}

func appendStd(dst []byte, v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return dst, err
	}
	// encoding/json escapes <, > and & by default; the mock's answers do not.
	return append(dst, unescapeHTML(b)...), nil
}

func appendMap(dst []byte, m map[string]any, scratch *[]string, depth int) ([]byte, error) {
	if m == nil {
		return append(dst, "null"...), nil
	}
	// The scratch slice is shared down the recursion: take this level's keys off its end.
	base := len(*scratch)
	for k := range m {
		*scratch = append(*scratch, k)
	}
	keys := (*scratch)[base:]
	slices.Sort(keys)
	dst = append(dst, '{')
	for i := range keys {
		k := (*scratch)[base+i] // re-read: the recursion may have grown (moved) the slice
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = AppendString(dst, k)
		dst = append(dst, ':')
		var err error
		if dst, err = appendValue(dst, m[k], scratch, depth+1); err != nil {
			*scratch = (*scratch)[:base]
			return dst, err
		}
	}
	*scratch = (*scratch)[:base]
	return append(dst, '}'), nil
}

// AppendFloat writes a float of the given bit size (32 or 64) the way encoding/json does
// (ES6 number formatting); infinities and NaN are an error, as there.
func AppendFloat(dst []byte, f float64, bits int) ([]byte, error) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return dst, fmt.Errorf("jsonw: unsupported value: %s", strconv.FormatFloat(f, 'g', -1, bits))
	}
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 {
		if bits == 64 && (abs < 1e-6 || abs >= 1e21) || bits == 32 && (float32(abs) < 1e-6 || float32(abs) >= 1e21) {
			format = 'e'
		}
	}
	dst = strconv.AppendFloat(dst, f, format, -1, bits)
	if format == 'e' {
		// clean up e-09 to e-9
		n := len(dst)
		if n >= 4 && dst[n-4] == 'e' && dst[n-3] == '-' && dst[n-2] == '0' {
			dst[n-2] = dst[n-1]
			dst = dst[:n-1]
		}
	}
	return dst, nil
}

const hex = "0123456789abcdef"

// AppendString appends s as a JSON string, escaped as encoding/json does without HTML escaping.
func AppendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	i := 0
	// Most strings need no escaping: skip 8 plain bytes at a time.
	for i+8 <= len(s) && plain8(uint64(s[i])|uint64(s[i+1])<<8|uint64(s[i+2])<<16|uint64(s[i+3])<<24|
		uint64(s[i+4])<<32|uint64(s[i+5])<<40|uint64(s[i+6])<<48|uint64(s[i+7])<<56) {
		i += 8
	}
	for i < len(s) {
		if b := s[i]; b < utf8.RuneSelf {
			if b >= 0x20 && b != '"' && b != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '\\', '"':
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hex[b>>4], hex[b&0xF])
			}
			i++
			start = i
			continue
		}
		c, size := utf8.DecodeRuneInString(s[i:])
		if c == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if c == '\u2028' || c == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hex[c&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// isValidNumber reports whether s is a JSON number literal (as encoding/json checks).
func isValidNumber(s string) bool {
	if s == "" {
		return false
	}
	if s[0] == '-' {
		s = s[1:]
		if s == "" {
			return false
		}
	}
	switch {
	case s[0] == '0':
		s = s[1:]
	case '1' <= s[0] && s[0] <= '9':
		s = s[1:]
		for len(s) > 0 && '0' <= s[0] && s[0] <= '9' {
			s = s[1:]
		}
	default:
		return false
	}
	if len(s) >= 2 && s[0] == '.' && '0' <= s[1] && s[1] <= '9' {
		s = s[2:]
		for len(s) > 0 && '0' <= s[0] && s[0] <= '9' {
			s = s[1:]
		}
	}
	if len(s) >= 2 && (s[0] == 'e' || s[0] == 'E') {
		s = s[1:]
		if s[0] == '+' || s[0] == '-' {
			s = s[1:]
			if s == "" {
				return false
			}
		}
		for len(s) > 0 && '0' <= s[0] && s[0] <= '9' {
			s = s[1:]
		}
	}
	return s == ""
}

// unescapeHTML undoes encoding/json's \u003c, \u003e and \u0026 escapes.
func unescapeHTML(b []byte) []byte {
	out := b[:0:0]
	for i := 0; i < len(b); i++ {
		if b[i] == '\\' && i+5 < len(b) && b[i+1] == 'u' && b[i+2] == '0' && b[i+3] == '0' {
			switch string(b[i+4 : i+6]) {
			case "3c":
				out = append(out, '<')
				i += 5
				continue
			case "3e":
				out = append(out, '>')
				i += 5
				continue
			case "26":
				out = append(out, '&')
				i += 5
				continue
			}
		}
		if b[i] == '\\' && i+1 < len(b) {
			out = append(out, b[i], b[i+1])
			i++
			continue
		}
		out = append(out, b[i])
	}
	return out
}
