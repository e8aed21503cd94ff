package fake

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// TestGolden pins the generated JSON for a handful of schemas so that
// accidental changes to generation are visible in review. Regenerate with
// go test ./mock/fake -update.
func TestGolden(t *testing.T) {
	specs := loadSpec(t, "constraints31.yaml")
	cases := []struct {
		file   string
		schema string
		opts   Options
		dir    Direction
	}{
		{"patient_us", "Patient", Options{Seed: 42, Locale: LocaleUS}, Response},
		{"patient_uk", "Patient", Options{Seed: 42, Locale: LocaleUK}, Response},
		{"patient_request", "Patient", Options{Seed: 42}, Request},
		{"hinted", "Hinted", Options{Seed: 7}, Response},
		{"pet_choice", "PetChoice", Options{Seed: 3}, Response},
		{"constrained_numbers", "NumMultipleQuarter", Options{Seed: 3}, Response},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			tc.opts.Now = fixedNow
			g := New(tc.opts)
			var out []any
			for _, key := range []string{"golden/a/200", "golden/b/200"} {
				out = append(out, g.Generate(schemaByName(t, specs, tc.schema), key, tc.dir))
			}
			got, err := json.MarshalIndent(out, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			path := filepath.Join("testdata", tc.file+".golden")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from golden (run with -update if intended):\n%s", path, got)
			}
		})
	}
}
