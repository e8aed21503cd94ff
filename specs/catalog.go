package specs

import (
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/pb33f/libopenapi/datamodel/high/base"
	v3 "github.com/pb33f/libopenapi/datamodel/high/v3"
)

// ErrUnknownOperation is returned when a vendor has no operation of that id.
var ErrUnknownOperation = errors.New("unknown operation")

// ErrUnknownVendor is returned for a vendor name that is not loaded.
var ErrUnknownVendor = errors.New("unknown vendor")

// Catalog is every loaded vendor with its operations, indexed for lookups.
type Catalog struct {
	Vendors []*Vendor
	byMount map[string]*Vendor
	byID    map[opKey]*Operation
}

type opKey struct{ vendor, id string }

// Vendor returns the vendor mounted under name ("" for the root mount).
func (c *Catalog) Vendor(name string) (*Vendor, error) {
	if v, ok := c.byMount[name]; ok {
		return v, nil
	}
	return nil, fmt.Errorf("vendor %q: %w", name, ErrUnknownVendor)
}

// Names are the vendors' names in catalog order (for messages listing what is loaded).
func (c *Catalog) Names() []string {
	names := make([]string, 0, len(c.Vendors))
	for _, v := range c.Vendors {
		names = append(names, v.Name)
	}
	return names
}

// Operation returns the operation of a vendor by operationId.
func (c *Catalog) Operation(vendor, id string) (*Operation, error) {
	if op, ok := c.byID[opKey{vendor, id}]; ok {
		return op, nil
	}
	return nil, fmt.Errorf("vendor %q: operation %q: %w", vendor, id, ErrUnknownOperation)
}

// OperationCount is the number of operations over all vendors.
func (c *Catalog) OperationCount() int {
	n := 0
	for _, v := range c.Vendors {
		n += len(v.Operations)
	}
	return n
}

func (c *Catalog) index() error {
	c.byID = map[opKey]*Operation{}
	for _, v := range c.Vendors {
		for _, op := range v.Operations {
			c.byID[opKey{v.Name, op.ID}] = op
		}
	}
	return nil
}

// Vendor is one loaded OpenAPI description and where it is mounted.
type Vendor struct {
	// Name is the mount name ("" for the root mount); Mount is "/"+Name, or "" at the root.
	Name, Mount string
	Source      Source
	Title       string
	// Version is the description's openapi version field (3.0.x, 3.1.x).
	Version    string
	Model      *v3.Document
	Operations []*Operation
	Sidecar    *Sidecar
	// Warnings are problems that did not stop loading (circular references).
	Warnings []string
	byID     map[string]*Operation
	schemas  sync.Map // schemaKey → *base.Schema: see Schema
	// ParamModel is the document the parameters are checked against: Model, or for a detached
	// vendor a small parsed document of the operations' parameters alone.
	ParamModel *v3.Document
	// detached is true for a copy made by Detached; keyNames are then its schemas' KeyName.
	detached bool
	keyNames map[*base.Schema]string
}

// IsDetached reports a copy made by Detached, whose model has no low-level objects.
func (v *Vendor) IsDetached() bool { return v.detached }

// Operation looks an operation of this vendor up by its id.
func (v *Vendor) Operation(id string) (*Operation, bool) {
	op, ok := v.byID[id]
	return op, ok
}

// SchemaVersion is the JSON Schema dialect the validator must use: 3.0 or 3.1.
func (v *Vendor) SchemaVersion() float32 {
	if strings.HasPrefix(v.Version, "3.0") {
		return 3.0
	}
	return 3.1
}

// Operation is one method on one path of a vendor.
type Operation struct {
	Vendor *Vendor
	// ID is the operationId, or METHOD_path when the description has none.
	ID string
	// Method is upper case; Path is the template as written in the description (/users/{userId}).
	Method, Path string
	// Pointer is the JSON pointer of the operation in its file (#/paths/~1users/get).
	Pointer  string
	PathItem *v3.PathItem
	Op       *v3.Operation
	// ParamItem is the path item to check the parameters against with libopenapi-validator:
	// PathItem, or for a detached vendor the operation's path item in its parameter document
	// (see Vendor.ParamModel).
	ParamItem *v3.PathItem
	// Params are the path-level and operation-level parameters merged (operation wins).
	Params []*v3.Parameter
	// Security holds the alternatives of the effective requirement (any one suffices); nil or an
	// alternative with no schemes means no credentials are required.
	Security []*base.SecurityRequirement
	// Statuses are the documented response codes, sorted ("200", "404", "4XX", "default").
	Statuses []string
	// Inferred is true when the description marks the operation x-vendormock-inferred.
	Inferred bool
}

// String names the operation for messages: METHOD path (operationId).
func (o *Operation) String() string {
	return fmt.Sprintf("%s %s%s (%s)", o.Method, o.Vendor.Mount, o.Path, o.ID)
}

// Response returns the documented response for a status, falling back to its range (4XX) and default.
func (o *Operation) Response(status int) (*v3.Response, string) {
	if o.Op.Responses == nil {
		return nil, ""
	}
	code := strconv.Itoa(status)
	if o.Op.Responses.Codes != nil {
		if r, ok := o.Op.Responses.Codes.Get(code); ok {
			return r, code
		}
		rng := code[:1] + "XX"
		for k, r := range o.Op.Responses.Codes.FromOldest() {
			if strings.EqualFold(k, rng) {
				return r, k
			}
		}
	}
	if o.Op.Responses.Default != nil {
		return o.Op.Responses.Default, "default"
	}
	return nil, ""
}

// SuccessStatus is the lowest documented 2xx status, else 200 when only default is documented.
func (o *Operation) SuccessStatus() int {
	best := 0
	for _, s := range o.Statuses {
		if n, err := strconv.Atoi(s); err == nil && n >= 200 && n < 300 && (best == 0 || n < best) {
			best = n
		}
		if strings.EqualFold(s, "2XX") && best == 0 {
			best = 200
		}
	}
	if best == 0 {
		return http.StatusOK
	}
	return best
}

// Documents reports whether the status is documented exactly or by range (not by default).
func (o *Operation) Documents(status int) bool {
	code := strconv.Itoa(status)
	for _, s := range o.Statuses {
		if s == code || strings.EqualFold(s, code[:1]+"XX") {
			return true
		}
	}
	return false
}

// Param finds a merged parameter by location and name (header names case-insensitively).
func (o *Operation) Param(in, name string) *v3.Parameter {
	for _, p := range o.Params {
		if p.In == in && (p.Name == name || in == "header" && strings.EqualFold(p.Name, name)) {
			return p
		}
	}
	return nil
}

// PointerEscape escapes a JSON pointer token (RFC 6901).
func PointerEscape(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

func (v *Vendor) buildOperations() error {
	v.byID = map[string]*Operation{}
	if v.Model.Paths == nil || v.Model.Paths.PathItems == nil {
		return nil
	}
	for p, item := range v.Model.Paths.PathItems.FromOldest() {
		if !strings.HasPrefix(p, "/") {
			return &LoadError{File: v.Source.Display(), Pointer: "#/paths/" + PointerEscape(p), Err: errors.New("path must start with /")}
		}
		for method, op := range item.GetOperations().FromOldest() {
			m := strings.ToUpper(method)
			o := &Operation{
				Vendor:    v,
				ID:        op.OperationId,
				Method:    m,
				Path:      p,
				Pointer:   "#/paths/" + PointerEscape(p) + "/" + strings.ToLower(method),
				PathItem:  item,
				Op:        op,
				ParamItem: item,
				Params:    mergeParams(item.Parameters, op.Parameters),
				Security:  effectiveSecurity(v.Model, op),
				Inferred:  extensionBool(op.Extensions, "x-vendormock-inferred"),
			}
			if o.ID == "" {
				o.ID = m + "_" + p
			}
			if prev, dup := v.byID[o.ID]; dup {
				return &LoadError{File: v.Source.Display(), Pointer: o.Pointer,
					Err: fmt.Errorf("operationId %q is also used by %s %s", o.ID, prev.Method, prev.Path)}
			}
			if op.Responses != nil && op.Responses.Codes != nil {
				for code := range op.Responses.Codes.KeysFromOldest() {
					o.Statuses = append(o.Statuses, code)
				}
			}
			if op.Responses != nil && op.Responses.Default != nil {
				o.Statuses = append(o.Statuses, "default")
			}
			sort.Strings(o.Statuses)
			v.byID[o.ID] = o
			v.Operations = append(v.Operations, o)
		}
	}
	return nil
}

func mergeParams(pathLevel, opLevel []*v3.Parameter) []*v3.Parameter {
	out := make([]*v3.Parameter, 0, len(pathLevel)+len(opLevel))
	for _, p := range pathLevel {
		overridden := false
		for _, q := range opLevel {
			if q.Name == p.Name && q.In == p.In {
				overridden = true
				break
			}
		}
		if !overridden {
			out = append(out, p)
		}
	}
	return append(out, opLevel...)
}

// effectiveSecurity is the operation's own requirement when it declares one (even an empty list,
// which switches security off), else the document's.
func effectiveSecurity(doc *v3.Document, op *v3.Operation) []*base.SecurityRequirement {
	if low := op.GoLow(); low != nil && low.Security.KeyNode != nil {
		return op.Security
	}
	return doc.Security
}
