package validate

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/pb33f/jsonschema/v6"
	"github.com/pb33f/libopenapi-validator/content"
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

// bodyErrors checks a request's body against its operation the way libopenapi-validator's
// request-body validator does (content type, presence, decoding, schema), with the schemas
// compiled once and without the library's low-level objects. It also hands back the decoded
// body (nil when there is none or it does not decode). Only JSON bodies are checked: the
// library registers no decoder for other media types (forms, multipart, XML) by default.
func (v *Validator) bodyErrors(r2 *http.Request, op *specs.Operation, body []byte) ([]*liberrors.ValidationError, any) {
	rb := op.Op.RequestBody
	if rb == nil {
		return nil, nil
	}
	ct := r2.Header.Get(helpers.ContentTypeHeader)
	required := rb.Required != nil && *rb.Required
	if ct == "" {
		if !required {
			return nil, nil
		}
		return []*liberrors.ValidationError{liberrors.RequestContentTypeNotFound(op.Op, r2, op.Path)}, nil
	}
	mt, ok := helpers.FindMediaType(rb.Content, ct)
	if !ok {
		return []*liberrors.ValidationError{liberrors.RequestContentTypeNotFound(op.Op, r2, op.Path)}, nil
	}
	if mt.Schema == nil {
		return nil, nil
	}
	schema := op.Vendor.Schema(mt.Schema)
	bodyError := func(message, reason string) []*liberrors.ValidationError {
		return []*liberrors.ValidationError{{
			ValidationType: helpers.RequestBodyValidation, ValidationSubType: helpers.Schema,
			Message: message, Reason: reason, RequestPath: r2.URL.Path, RequestMethod: r2.Method, SpecPath: op.Path,
		}}
	}
	var doc any
	switch {
	case strings.Contains(strings.ToLower(ct), helpers.JSONType):
		if len(body) == 0 {
			if !required {
				return nil, nil
			}
			return bodyError(fmt.Sprintf("%s request body is empty for '%s'", r2.Method, r2.URL.Path),
				"The request body is empty but there is a schema defined"), nil
		}
		var err error
		if doc, err = content.JSONDecoder().Decode(&content.DecodeInput{Body: bytes.NewReader(body)}); err != nil {
			mediaType, _, _ := helpers.ExtractContentType(ct)
			structured := &content.DecodingError{MediaType: mediaType, Direction: content.Request, Err: err}
			return bodyError(fmt.Sprintf("%s request body for '%s' could not be decoded", r2.Method, r2.URL.Path),
				"The request body cannot be decoded: "+structured.Error()), nil
		}
	default:
		return nil, nil
	}
	c := v.compiledFor(schema, schema_validation.SchemaValidationPurposeRequestBody)
	if c == nil {
		return nil, doc
	}
	return bodySchemaErrors(c.Validate(doc), helpers.RequestBodyValidation,
		r2.Method+" request body for '"+r2.URL.Path+"' failed to validate schema",
		"The request body is defined as an object. "+
			"However, it does not meet the schema requirements of the specification"), doc
}

// bodySchemaErrors is a body's schema failure (nil for none) as the library reports it.
func bodySchemaErrors(err error, validationType, message, reason string) []*liberrors.ValidationError {
	if err == nil {
		return nil
	}
	return []*liberrors.ValidationError{{
		ValidationType: validationType, ValidationSubType: helpers.Schema,
		Message: message, Reason: reason, SchemaValidationErrors: schemaFailures(err, true),
	}}
}

// paramErrors runs the library's parameter checks on a request, in the library's order.
func (v *Validator) paramErrors(r2 *http.Request, op *specs.Operation) []*liberrors.ValidationError {
	pv := v.lib.GetParameterValidator()
	v.mu.Lock()
	defer v.mu.Unlock()
	var errs []*liberrors.ValidationError
	for _, check := range paramChecks(pv) {
		if ok, e := check(r2, op.ParamItem, op.Path); !ok {
			errs = append(errs, e...)
		}
	}
	return errs
}

// responseBodyErrors checks an answer's body as libopenapi-validator's response-body
// validator does (documented content type, JSON body against the schema compiled once).
func (v *Validator) responseBodyErrors(r2 *http.Request, resp *http.Response, op *specs.Operation, status int, body []byte) ([]*liberrors.ValidationError, any) {
	rs, code := op.Response(status)
	if rs == nil || rs.Content == nil || rs.Content.Len() == 0 {
		return nil, nil
	}
	ct := resp.Header.Get(helpers.ContentTypeHeader)
	mt, ok := helpers.FindMediaType(rs.Content, ct)
	if !ok {
		return []*liberrors.ValidationError{liberrors.ResponseContentTypeNotFound(op.Op, r2, resp, code, code == "default")}, nil
	}
	if mt.Schema == nil || !strings.Contains(strings.ToLower(ct), helpers.JSONType) {
		return nil, nil
	}
	var doc any
	if err := json.Unmarshal(body, &doc); err != nil {
		return []*liberrors.ValidationError{{
			ValidationType: helpers.ResponseBodyValidation, ValidationSubType: helpers.Schema,
			Message: fmt.Sprintf("%s response body for '%s' failed to validate schema", r2.Method, r2.URL.Path),
			Reason:  fmt.Sprintf("The response body cannot be decoded: %s", err.Error()),
		}}, nil
	}
	c := v.compiledFor(op.Vendor.Schema(mt.Schema), schema_validation.SchemaValidationPurposeResponseBody)
	if c == nil {
		return nil, doc
	}
	return bodySchemaErrors(c.Validate(doc), helpers.ResponseBodyValidation,
		fmt.Sprintf("%d response body for '%s' failed to validate schema", status, r2.URL.Path),
		"The response body for status code '"+strconv.Itoa(status)+"' is defined as an object. "+
			"However, it does not meet the schema requirements of the specification"), doc
}
