package specs

import (
	"github.com/pb33f/go-yaml"
	"github.com/pb33f/libopenapi/orderedmap"
)

// Extensions is the type libopenapi uses for x- extensions.
type Extensions = *orderedmap.Map[string, *yaml.Node]

// ExtensionString returns the string value of an x- extension, or "".
func ExtensionString(ext Extensions, key string) string {
	if ext == nil {
		return ""
	}
	n, ok := ext.Get(key)
	if !ok || n == nil || n.Kind != yaml.ScalarNode {
		return ""
	}
	return n.Value
}

func extensionBool(ext Extensions, key string) bool {
	return ExtensionString(ext, key) == "true"
}
