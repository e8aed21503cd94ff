package fake

import (
	"fmt"
	"testing"
)

const benchSpec = `
type: object
required: [PatNum, LName, FName, Birthdate, Email]
properties:
  PatNum: {type: integer, format: int64, readOnly: true}
  LName: {type: string}
  FName: {type: string}
  MiddleI: {type: string, maxLength: 1}
  Preferred: {type: string}
  PatStatus: {type: string, enum: [Patient, NonPatient, Inactive, Archived, Deceased]}
  Gender: {type: string, enum: [Male, Female, Unknown]}
  Birthdate: {type: string, format: date}
  Address: {type: string}
  City: {type: string}
  State: {type: string, maxLength: 2}
  Zip: {type: string, pattern: '^\d{5}$'}
  HmPhone: {type: string}
  Email: {type: string, format: email}
  DateTStamp: {type: string, format: date-time}
`

func BenchmarkGenerateObject(b *testing.B) {
	s := schemaFromYAML(b, benchSpec)
	g := New(Options{Seed: 1, Now: fixedNow})
	keys := make([]string, 64)
	for i := range keys {
		keys[i] = fmt.Sprint("opendental/getPatient/200#", i)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_ = g.Generate(s, keys[i%len(keys)], Response)
	}
}

func BenchmarkGenerateList20(b *testing.B) {
	s := schemaFromYAML(b, "type: array\nminItems: 20\nmaxItems: 20\nitems:"+indent(benchSpec))
	g := New(Options{Seed: 1, Now: fixedNow})
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_ = g.Generate(s, "opendental/listPatients/200", Response)
	}
}

func indent(s string) string {
	out := ""
	for _, line := range splitLines(s) {
		if line != "" {
			out += "\n  " + line
		}
	}
	return out
}

func splitLines(s string) []string {
	var lines []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			lines = append(lines, s[start:i])
			start = i + 1
		}
	}
	return append(lines, s[start:])
}
