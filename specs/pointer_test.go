package specs

import "testing"

func TestJSONPathToPointer(t *testing.T) {
	for in, want := range map[string]string{
		"":                       "",
		"$":                      "",
		"$.paths['/things'].get": "#/paths/~1things/get",
		"$.paths['/a/{id}'].get.responses['200']": "#/paths/~1a~1{id}/get/responses/200",
		"$.components.schemas.Pet":                "#/components/schemas/Pet",
		"$.tags[0].name":                          "#/tags/0/name",
		"#/components/schemas/Missing":            "",
		"$[']":                                    "", // [' and '] overlap (a fuzz crasher)
		"$.a[''].b":                               "#/a//b",
	} {
		if got := jsonPathToPointer(in); got != want {
			t.Errorf("jsonPathToPointer(%q) = %q, want %q", in, got, want)
		}
	}
}
