// Command genspec writes a large multi-file OpenAPI 3.0 description for benchmarks: a root
// document whose paths and schemas live in many small files joined by relative $refs.
//
//	go run ./scripts/genspec -out /tmp/bigspec -resources 130 -fields 20
//
// Each resource has five operations (list, create, get, update, delete) in two path files,
// a record schema and one file per property: 130 resources give 650 operations in about
// 2,900 files. The root is OUT/openapi.yaml; serve it with --spec big=OUT/openapi.yaml.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

func main() {
	out := flag.String("out", "", "directory to write (created; existing files are overwritten)")
	resources := flag.Int("resources", 130, "number of resources (5 operations each)")
	fields := flag.Int("fields", 20, "properties per record (one file each)")
	flag.Parse()
	if *out == "" || *resources < 1 || *fields < 2 {
		fmt.Fprintln(os.Stderr, "usage: genspec -out DIR [-resources N] [-fields N]")
		os.Exit(2)
	}
	files, err := generate(*out, *resources, *fields)
	if err != nil {
		fmt.Fprintln(os.Stderr, "genspec:", err)
		os.Exit(1)
	}
	fmt.Printf("wrote %d files, %d operations under %s\n", files, *resources*5, *out)
}

// generate writes the description and returns how many files it wrote.
func generate(dir string, resources, fields int) (int, error) {
	n := 0
	write := func(rel, text string) error {
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return fmt.Errorf("create folder for %s: %w", rel, err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			return fmt.Errorf("write %s: %w", rel, err)
		}
		n++
		return nil
	}
	var root strings.Builder
	root.WriteString("openapi: 3.0.3\ninfo:\n  title: Generated benchmark API\n  version: 1.0.0\npaths:\n")
	for i := 1; i <= resources; i++ {
		name := fmt.Sprintf("things%d", i)
		fmt.Fprintf(&root, "  /%s:\n    $ref: './paths/%s.yaml'\n", name, name)
		fmt.Fprintf(&root, "  /%s/{id}:\n    $ref: './paths/%s-item.yaml'\n", name, name)
		if err := writeResource(write, i, name, fields); err != nil {
			return n, err
		}
	}
	if err := write("openapi.yaml", root.String()); err != nil {
		return n, err
	}
	return n, nil
}

func writeResource(write func(rel, text string) error, i int, name string, fields int) error {
	typ := fmt.Sprintf("Thing%d", i)
	schema := fmt.Sprintf("../schemas/%s/%s.yaml", name, typ)
	coll := fmt.Sprintf(`get:
  operationId: list%[1]s
  parameters:
    - name: limit
      in: query
      schema: {type: integer, minimum: 1, maximum: 100, default: 20}
    - name: offset
      in: query
      schema: {type: integer, minimum: 0, default: 0}
  responses:
    '200':
      description: A page of records.
      content:
        application/json:
          schema:
            type: array
            items: {$ref: '%[2]s'}
post:
  operationId: create%[1]s
  requestBody:
    required: true
    content:
      application/json:
        schema: {$ref: '%[2]s'}
  responses:
    '201':
      description: Created.
      content:
        application/json:
          schema: {$ref: '%[2]s'}
`, typ, schema)
	item := fmt.Sprintf(`parameters:
  - name: id
    in: path
    required: true
    schema: {type: integer, minimum: 1}
get:
  operationId: get%[1]s
  responses:
    '200':
      description: One record.
      content:
        application/json:
          schema: {$ref: '%[2]s'}
    '404':
      description: Not found.
put:
  operationId: update%[1]s
  requestBody:
    required: true
    content:
      application/json:
        schema: {$ref: '%[2]s'}
  responses:
    '200':
      description: Updated.
      content:
        application/json:
          schema: {$ref: '%[2]s'}
delete:
  operationId: delete%[1]s
  responses:
    '204':
      description: Deleted.
`, typ, schema)
	if err := write(fmt.Sprintf("paths/%s.yaml", name), coll); err != nil {
		return err
	}
	if err := write(fmt.Sprintf("paths/%s-item.yaml", name), item); err != nil {
		return err
	}
	var rec strings.Builder
	rec.WriteString("type: object\nrequired: [name]\nproperties:\n  id:\n    type: integer\n    readOnly: true\n")
	for f := 1; f < fields; f++ {
		prop := propName(f)
		fmt.Fprintf(&rec, "  %s:\n    $ref: './%s.yaml'\n", prop, prop)
		if err := write(fmt.Sprintf("schemas/%s/%s.yaml", name, prop), propSchema(f)); err != nil {
			return err
		}
	}
	return write(fmt.Sprintf("schemas/%s/%s.yaml", name, typ), rec.String())
}

func propName(f int) string {
	if f == 1 {
		return "name"
	}
	return fmt.Sprintf("field%d", f)
}

func propSchema(f int) string {
	switch f % 4 {
	case 1:
		return "type: string\nmaxLength: 64\nexample: Sample\n"
	case 2:
		return "type: integer\nminimum: 0\nexample: 42\n"
	case 3:
		return "type: string\nformat: date\nexample: '2024-01-31'\n"
	default:
		return "type: boolean\nexample: true\n"
	}
}
