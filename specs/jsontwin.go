package specs

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/pb33f/go-yaml"
)

// A bundled description is written in YAML (specs/<vendor>/openapi.yaml) and also embedded as a
// generated JSON twin (openapi.json beside it), which is what loads: libopenapi parses JSON with
// its own direct parser, about three times faster than YAML, and the largest description decides
// start-up. TestBundledJSONTwins fails when a twin is stale; `go test ./specs -run
// TestBundledJSONTwins -update` rewrites them.

// jsonTwinPath is the path of the JSON twin of a YAML description.
func jsonTwinPath(p string) string {
	for _, ext := range []string{".yaml", ".yml"} {
		if strings.HasSuffix(p, ext) {
			return strings.TrimSuffix(p, ext) + ".json"
		}
	}
	return ""
}

// yamlToJSON converts a YAML document to JSON with the values the YAML resolves to: keys and
// strings as strings, numbers, booleans and nulls as such, timestamps as the text written.
// Key order is kept. The output is indented by one space so that diffs of twins stay readable.
func yamlToJSON(data []byte) ([]byte, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc, more yaml.Node
	if err := dec.Decode(&doc); err != nil {
		return nil, err
	}
	if err := dec.Decode(&more); !errors.Is(err, io.EOF) || doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		return nil, fmt.Errorf("want exactly one YAML document")
	}
	var b bytes.Buffer
	if err := writeJSONNode(&b, doc.Content[0], 0); err != nil {
		return nil, err
	}
	var out bytes.Buffer
	if err := json.Indent(&out, b.Bytes(), "", " "); err != nil {
		return nil, fmt.Errorf("converted JSON is invalid: %w", err)
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

func writeJSONNode(b *bytes.Buffer, n *yaml.Node, depth int) error {
	if depth > 200 {
		return fmt.Errorf("line %d: nested too deeply", n.Line)
	}
	switch n.Kind {
	case yaml.AliasNode:
		return writeJSONNode(b, n.Alias, depth+1)
	case yaml.MappingNode:
		b.WriteByte('{')
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Kind != yaml.ScalarNode {
				return fmt.Errorf("line %d: a mapping key must be a scalar", k.Line)
			}
			if k.Value == "<<" && k.ShortTag() == "!!merge" {
				return fmt.Errorf("line %d: merge keys (<<) are not supported", k.Line)
			}
			if i > 0 {
				b.WriteByte(',')
			}
			writeJSONString(b, k.Value)
			b.WriteByte(':')
			if err := writeJSONNode(b, v, depth+1); err != nil {
				return err
			}
		}
		b.WriteByte('}')
	case yaml.SequenceNode:
		b.WriteByte('[')
		for i, c := range n.Content {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := writeJSONNode(b, c, depth+1); err != nil {
				return err
			}
		}
		b.WriteByte(']')
	case yaml.ScalarNode:
		return writeJSONScalar(b, n)
	default:
		return fmt.Errorf("line %d: unexpected YAML node kind %d", n.Line, n.Kind)
	}
	return nil
}

func writeJSONScalar(b *bytes.Buffer, n *yaml.Node) error {
	switch n.ShortTag() {
	case "!!null":
		b.WriteString("null")
	case "!!bool":
		var v bool
		if err := n.Decode(&v); err != nil {
			return fmt.Errorf("line %d: %w", n.Line, err)
		}
		b.WriteString(strconv.FormatBool(v))
	case "!!int":
		if json.Valid([]byte(n.Value)) {
			b.WriteString(n.Value)
			return nil
		}
		var v int64
		if err := n.Decode(&v); err != nil {
			return fmt.Errorf("line %d: %w", n.Line, err)
		}
		b.WriteString(strconv.FormatInt(v, 10))
	case "!!float":
		if json.Valid([]byte(n.Value)) {
			b.WriteString(n.Value)
			return nil
		}
		var v float64
		if err := n.Decode(&v); err != nil {
			return fmt.Errorf("line %d: %w", n.Line, err)
		}
		if math.IsInf(v, 0) || math.IsNaN(v) {
			return fmt.Errorf("line %d: %s has no JSON form", n.Line, n.Value)
		}
		b.WriteString(strconv.FormatFloat(v, 'g', -1, 64))
	default: // !!str, !!timestamp, !!binary: the text as written
		writeJSONString(b, n.Value)
	}
	return nil
}

func writeJSONString(b *bytes.Buffer, s string) {
	// Not json.Marshal: it escapes <, > and & for HTML, and a description is not HTML.
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)       // a string always encodes
	b.Truncate(b.Len() - 1) // Encode ends with a newline
}
