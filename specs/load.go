package specs

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/pb33f/libopenapi"
	"github.com/pb33f/libopenapi/datamodel"
	"github.com/pb33f/libopenapi/index"
	"github.com/pb33f/libopenapi/utils"

	"github.com/vendormock/vendormock/internal/parallel"
)

// Source names one description to load and where to mount it.
type Source struct {
	// Name is the mount name: the vendor is served under "/"+Name, or at the root when Name is "".
	Name string
	// Path is the description's file: a path on disk, or inside FS when FS is set.
	Path string
	// FS, when set, is the file system Path is read from (the embedded bundle); nil means the OS.
	FS fs.FS
}

// Display is the source as users know it: the file path, or bundled:<path> for embedded files.
func (s Source) Display() string {
	if s.FS != nil {
		return "specs/" + s.Path
	}
	return s.Path
}

// Options tune loading.
type Options struct {
	// Logger receives libopenapi's own messages and load warnings; nil discards them.
	Logger *slog.Logger
	// Detach keeps of each description only a copy of its model without libopenapi's
	// low-level objects (see Vendor.Detached): what a long-running server needs, in a
	// fraction of the memory.
	Detach bool
}

// ErrSwagger2 is returned for Swagger 2.0 files, which are not supported yet.
var ErrSwagger2 = errors.New("swagger 2.0 is not supported yet: convert the file to OpenAPI 3 (for example with swagger2openapi)")

// LoadError names the file, and the JSON pointer when known, of a problem that stops loading.
type LoadError struct {
	File    string
	Pointer string
	Err     error
}

func (e *LoadError) Error() string {
	if e.Pointer != "" {
		return fmt.Sprintf("load %s: %s: %v", e.File, e.Pointer, e.Err)
	}
	return fmt.Sprintf("load %s: %v", e.File, e.Err)
}

func (e *LoadError) Unwrap() error { return e.Err }

// Load reads every source and builds the catalog.
func Load(ctx context.Context, sources []Source, opts Options) (*Catalog, error) {
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	seen := map[string]bool{}
	for _, src := range sources {
		if err := validName(src.Name); err != nil {
			return nil, &LoadError{File: src.Display(), Err: err}
		}
		if seen[src.Name] {
			return nil, &LoadError{File: src.Display(), Err: fmt.Errorf("mount %q is used twice", "/"+src.Name)}
		}
		seen[src.Name] = true
	}
	// Descriptions are independent: they load in parallel, the largest first (it dominates
	// start-up), and the first error in source order wins, so errors do not depend on scheduling.
	vendors, err := parallel.MapHeaviestFirst(sources, sourceSize, func(src Source) (*Vendor, error) {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("load specs: %w", err)
		}
		t0 := time.Now()
		v, err := loadVendor(src, logger)
		logger.Debug("description loaded", "vendor", src.Name, "took", time.Since(t0))
		if err != nil || !opts.Detach {
			return v, err
		}
		t0 = time.Now()
		d, err := v.Detached()
		if err != nil {
			return nil, &LoadError{File: src.Display(), Err: err}
		}
		logger.Debug("description detached", "vendor", src.Name, "took", time.Since(t0))
		return d, nil
	})
	if err != nil {
		return nil, err
	}
	cat := &Catalog{Vendors: vendors, byMount: map[string]*Vendor{}}
	for i, v := range vendors {
		cat.byMount[sources[i].Name] = v
	}
	if err := cat.index(); err != nil {
		return nil, err
	}
	return cat, nil
}

func validName(name string) error {
	if name == "" {
		return nil
	}
	if strings.HasPrefix(name, "__") {
		return fmt.Errorf("mount name %q: names starting with __ are reserved", name)
	}
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			return fmt.Errorf("mount name %q: only letters, digits, '-', '_' and '.' are allowed", name)
		}
	}
	return nil
}

// sourceSize is the size of a source's file in bytes (0 when it cannot be read: loading
// reports that), which orders parallel loading.
func sourceSize(src Source) int64 {
	var fi fs.FileInfo
	var err error
	if src.FS != nil {
		fi, err = fs.Stat(src.FS, src.Path)
	} else {
		fi, err = os.Stat(src.Path)
	}
	if err != nil {
		return 0
	}
	return fi.Size()
}

func readSource(src Source) ([]byte, error) {
	if src.FS != nil {
		// An embedded YAML description may come with its generated JSON twin (see jsontwin.go).
		if twin := jsonTwinPath(src.Path); twin != "" {
			if data, err := fs.ReadFile(src.FS, twin); err == nil {
				return data, nil
			}
		}
		return fs.ReadFile(src.FS, src.Path)
	}
	return os.ReadFile(src.Path)
}

func loadVendor(src Source, logger *slog.Logger) (*Vendor, error) {
	file := src.Display()
	data, err := readSource(src)
	if err != nil {
		return nil, &LoadError{File: file, Err: err}
	}
	cfg := &datamodel.DocumentConfiguration{
		Logger:                              logger.With("spec", file),
		IgnorePolymorphicCircularReferences: true,
		IgnoreArrayCircularReferences:       true,
		SkipMetadataCollection:              true,
	}
	if src.FS != nil {
		// Embedded descriptions are single files; external references are not followed.
		cfg.SpecFilePath = path.Base(src.Path)
	} else {
		abs, err := filepath.Abs(src.Path)
		if err != nil {
			return nil, &LoadError{File: file, Err: err}
		}
		cfg.AllowFileReferences = true
		cfg.BasePath = filepath.Dir(abs)
		cfg.SpecFilePath = filepath.Base(abs)
	}
	doc, err := libopenapi.NewDocumentWithConfiguration(data, cfg)
	if err != nil {
		return nil, &LoadError{File: file, Err: fmt.Errorf("not a readable OpenAPI description: %w", err)}
	}
	info := doc.GetSpecInfo()
	switch {
	case info == nil:
		return nil, &LoadError{File: file, Err: errors.New("not an OpenAPI description")}
	case info.SpecFormat == datamodel.OAS2:
		return nil, &LoadError{File: file, Pointer: "#/swagger", Err: ErrSwagger2}
	case info.SpecFormat != datamodel.OAS3 && info.SpecFormat != datamodel.OAS31 && info.SpecFormat != datamodel.OAS32:
		return nil, &LoadError{File: file, Pointer: "#/openapi", Err: errors.New("no openapi: 3.x version field found")}
	}
	model, err := doc.BuildV3Model()
	var warnings []string
	if err != nil {
		// libopenapi returns a usable model together with circular-reference errors. A recursive
		// schema is legal and the generator bounds recursion, so those are warnings; anything else
		// (an unresolvable $ref, a broken file) stops loading.
		for _, e := range utils.UnwrapErrors(err) {
			var re *index.ResolvingError
			if errors.As(e, &re) && re.CircularReference != nil {
				warnings = append(warnings, "circular reference: "+re.CircularReference.GenerateJourneyPath())
				continue
			}
			return nil, &LoadError{File: file, Pointer: errorPointer(e), Err: e}
		}
	}
	if model == nil {
		return nil, &LoadError{File: file, Err: errors.New("model could not be built")}
	}
	for _, w := range warnings {
		logger.Warn("spec warning", "spec", file, "warning", w)
	}
	// The document itself is not needed once its model is built: releasing it drops its copy
	// of the file's bytes (the model keeps the parsed tree it needs).
	doc.Release()
	v := &Vendor{
		Name:     src.Name,
		Source:   src,
		Model:    &model.Model,
		Version:  info.Version,
		Warnings: warnings,
	}
	if src.Name != "" {
		v.Mount = "/" + src.Name
	}
	if model.Model.Info != nil {
		v.Title = model.Model.Info.Title
	}
	sc, err := loadSidecar(src)
	if err != nil {
		return nil, err
	}
	v.Sidecar = sc
	v.ParamModel = v.Model
	if err := v.buildOperations(); err != nil {
		return nil, err
	}
	return v, nil
}

// errorPointer extracts the JSON pointer (and line) of a libopenapi indexing or resolving error.
func errorPointer(err error) string {
	var (
		ie   *index.IndexingError
		re   *index.ResolvingError
		path string
		line int
	)
	switch {
	case errors.As(err, &ie):
		path = ie.Path
		if ie.Node != nil {
			line = ie.Node.Line
		}
	case errors.As(err, &re):
		path = re.Path
		if re.Node != nil {
			line = re.Node.Line
		}
	}
	ptr := jsonPathToPointer(path)
	if line > 0 {
		if ptr == "" {
			return fmt.Sprintf("line %d", line)
		}
		return fmt.Sprintf("%s (line %d)", ptr, line)
	}
	return ptr
}

// jsonPathToPointer turns libopenapi's $.paths['/things'].get.responses['200'] into
// #/paths/~1things/get/responses/200.
func jsonPathToPointer(p string) string {
	p = strings.TrimPrefix(p, "$")
	if p == "" {
		return ""
	}
	var parts []string
	for len(p) > 0 {
		switch {
		case strings.HasPrefix(p, "['"):
			// The closing '] is looked for after the opening [' : in "[']" they overlap.
			end := strings.Index(p[2:], "']")
			if end < 0 {
				return ""
			}
			parts = append(parts, p[2:2+end])
			p = p[2+end+2:]
		case strings.HasPrefix(p, "["):
			end := strings.Index(p, "]")
			if end < 0 {
				return ""
			}
			parts = append(parts, p[1:end])
			p = p[end+1:]
		case strings.HasPrefix(p, "."):
			p = p[1:]
			end := strings.IndexAny(p, ".[")
			if end < 0 {
				end = len(p)
			}
			parts = append(parts, p[:end])
			p = p[end:]
		default:
			return ""
		}
	}
	var b strings.Builder
	b.WriteString("#")
	for _, part := range parts {
		b.WriteString("/" + PointerEscape(part))
	}
	return b.String()
}
