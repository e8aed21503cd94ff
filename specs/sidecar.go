package specs

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/pb33f/go-yaml"
)

// Sidecar holds vendormock settings kept next to a description, so users can drop in a
// vendor's own file unchanged: for openapi.yaml it is openapi.vendormock.yaml.
type Sidecar struct {
	// File is where the sidecar was read from ("" when there is none).
	File string `yaml:"-"`
	// Locale picks the style of generated data: "US" (default) or "UK".
	Locale string `yaml:"locale"`
	// Faker maps a property name ("email") or "Schema.property" to a generator name.
	Faker map[string]string `yaml:"faker"`
	// Operations corrects per-operation behaviour, keyed by operationId.
	Operations map[string]OperationSettings `yaml:"operations"`
}

// OperationSettings are per-operation corrections in a sidecar.
type OperationSettings struct {
	// Resource names the collection an operation works on; Role is its part in it
	// (list, create, read, replace, update, delete, singleton, action).
	Resource string `yaml:"resource"`
	Role     string `yaml:"role"`
}

// SidecarPath is the sidecar file for a description file: dir/name.vendormock.yaml.
func SidecarPath(specPath string) string {
	ext := path.Ext(specPath)
	return strings.TrimSuffix(specPath, ext) + ".vendormock.yaml"
}

func loadSidecar(src Source) (*Sidecar, error) {
	var (
		file = SidecarPath(src.Path)
		data []byte
		err  error
	)
	if src.FS != nil {
		data, err = fs.ReadFile(src.FS, file)
	} else {
		file = filepath.Clean(file)
		data, err = os.ReadFile(file)
	}
	if errors.Is(err, fs.ErrNotExist) {
		return &Sidecar{}, nil
	}
	display := file
	if src.FS != nil {
		display = "specs/" + file
	}
	if err != nil {
		return nil, &LoadError{File: display, Err: err}
	}
	sc := &Sidecar{File: display}
	if len(bytes.TrimSpace(data)) > 0 {
		if err := yaml.Load(data, sc, yaml.WithKnownFields()); err != nil {
			return nil, &LoadError{File: display, Err: fmt.Errorf("sidecar: %w", err)}
		}
	}
	switch strings.ToUpper(sc.Locale) {
	case "", "US":
		sc.Locale = "US"
	case "UK", "GB":
		sc.Locale = "UK"
	default:
		return nil, &LoadError{File: display, Pointer: "#/locale", Err: fmt.Errorf("locale %q: want US or UK", sc.Locale)}
	}
	return sc, nil
}
