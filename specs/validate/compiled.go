package validate

import (
	"cmp"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/pb33f/jsonschema/v6"
	liberrors "github.com/pb33f/libopenapi-validator/errors"
	"github.com/pb33f/libopenapi-validator/helpers"
	"github.com/pb33f/libopenapi-validator/schema_validation"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/vendormock/vendormock/specs"
)

// Findings of a schema that failed come from the schema compiled once, not from a second run
// through the library's body and schema validators: those hash and look up the schema again,
// run under the library's lock, and need libopenapi's low-level model to do so. The failures
// are listed as the library lists them (schemaFailures), so findings read the same.

// schemaFailures lists the failures of a compiled schema's validation error the way
// libopenapi-validator does: one per leaf of the detailed output, in its words, sorted by
// where they are in the value. rootless drops
// failures without a keyword location, as the library's request-body validator does.
func schemaFailures(err error, rootless bool) []*liberrors.SchemaValidationFailure {
	var jk *jsonschema.ValidationError
	if !errors.As(err, &jk) {
		return nil
	}
	printer := message.NewPrinter(language.Tag{})
	var out []*liberrors.SchemaValidationFailure
	for _, er := range helpers.FlattenSchemaOutputErrors(jk.DetailedOutput()) {
		if er.Error == nil {
			continue
		}
		reason := er.Error.Kind.LocalizedString(printer)
		if rootless && er.KeywordLocation == "" || helpers.IgnoreRegex.MatchString(reason) {
			continue
		}
		out = append(out, &liberrors.SchemaValidationFailure{
			Reason:          reason,
			FieldName:       helpers.ExtractFieldNameFromStringLocation(er.InstanceLocation),
			FieldPath:       helpers.ExtractJSONPathFromStringLocation(er.InstanceLocation),
			InstancePath:    helpers.ConvertStringLocationToPathSegments(er.InstanceLocation),
			KeywordLocation: er.KeywordLocation,
		})
	}
	// The validator walks an object's properties in map order: sorted, the same body gets the
	// same findings in the same order every time.
	slices.SortStableFunc(out, func(a, b *liberrors.SchemaValidationFailure) int {
		return cmp.Or(slices.Compare(a.InstancePath, b.InstancePath), strings.Compare(a.KeywordLocation, b.KeywordLocation))
	})
	return out
}

// jsonRequestFindings explains a request with a JSON body that its operation's request schema
// can check (compiled once): the parameters through the library, the body through the compiled
// schema. ok is false for every other request (no body, another media type, a body that is
// not JSON, a schema that does not compile), which the library explains whole.
func (v *Validator) jsonRequestFindings(r2 *http.Request, op *specs.Operation, body []byte) (findings []Finding, ok bool) {
	rb := op.Op.RequestBody
	ct := r2.Header.Get("Content-Type")
	if rb == nil || rb.Content == nil || len(body) == 0 || !strings.Contains(strings.ToLower(ct), "json") {
		return nil, false
	}
	mt, found := helpers.FindMediaType(rb.Content, ct)
	if !found || mt.Schema == nil {
		return nil, false
	}
	c := v.compiledFor(op.Vendor.Schema(mt.Schema), schema_validation.SchemaValidationPurposeRequestBody)
	if c == nil {
		return nil, false
	}
	var doc any
	if json.Unmarshal(body, &doc) != nil {
		return nil, false
	}
	errs := v.paramErrors(r2, op)
	if err := c.Validate(doc); err != nil {
		errs = append(errs, &liberrors.ValidationError{
			ValidationType:    helpers.RequestBodyValidation,
			ValidationSubType: helpers.Schema,
			Message:           r2.Method + " request body for '" + r2.URL.Path + "' failed to validate schema",
			Reason: "The request body is defined as an object. " +
				"However, it does not meet the schema requirements of the specification",
			SchemaValidationErrors: schemaFailures(err, true),
		})
	}
	return convert(errs, doc, true), true
}

// paramErrors runs the library's parameter checks on a request, in the library's order.
func (v *Validator) paramErrors(r2 *http.Request, op *specs.Operation) []*liberrors.ValidationError {
	pv := v.lib.GetParameterValidator()
	v.mu.Lock()
	defer v.mu.Unlock()
	var errs []*liberrors.ValidationError
	for _, check := range paramChecks(pv) {
		if ok, e := check(r2, op.PathItem, op.Path); !ok {
			errs = append(errs, e...)
		}
	}
	return errs
}
