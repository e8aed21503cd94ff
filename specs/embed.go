package specs

import (
	"embed"
	"io/fs"
	"path"
	"sort"
)

// bundled holds the vendor descriptions shipped with vendormock, their sidecar files and the
// descriptions' generated JSON twins (jsontwin.go).
//
//go:embed heydonto/*.yaml heydonto-auth/*.yaml herohealth/*.yaml opendental/*.yaml kana-practice/*.yaml kana-users/*.yaml
//go:embed heydonto/openapi.json heydonto-auth/openapi.json herohealth/openapi.json opendental/openapi.json kana-practice/openapi.json kana-users/openapi.json
var bundled embed.FS

// BundledFS returns the embedded file system of bundled vendor folders (<vendor>/openapi.yaml).
func BundledFS() fs.FS { return bundled }

// BundledNames lists the bundled vendors in mount order.
func BundledNames() []string {
	entries, err := fs.Glob(bundled, "*/openapi.yaml")
	if err != nil { // the pattern is constant and valid, so this cannot happen
		return nil
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, path.Dir(e))
	}
	sort.Strings(names)
	return names
}

// Bundled returns a Source for every bundled vendor, mounted at /<vendor>.
func Bundled() []Source {
	var out []Source
	for _, n := range BundledNames() {
		out = append(out, Source{Name: n, Path: n + "/openapi.yaml", FS: bundled})
	}
	return out
}
