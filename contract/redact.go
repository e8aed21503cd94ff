package contract

import (
	"encoding/json"
	"net/url"
	"regexp"
	"sort"
	"strings"
)

// redactedText replaces personal values in reports; secretText replaces credentials everywhere.
const (
	redactedText = "[redacted]"
	secretText   = "[secret]"
)

// redactor removes credentials always and personal data unless personal is false.
type redactor struct {
	secrets  []string // longest first, so a secret containing another is replaced whole
	personal bool
}

func newRedactor(personal bool, secrets ...string) *redactor {
	r := &redactor{personal: personal}
	r.add(secrets...)
	return r
}

// add registers secret values (tokens obtained while running, too).
func (r *redactor) add(secrets ...string) {
	for _, s := range secrets {
		s = strings.TrimSpace(s)
		if len(s) < 4 { // replacing "a" everywhere would shred reports without protecting anything
			continue
		}
		r.secrets = append(r.secrets, s)
		if i := strings.IndexByte(s, ' '); i > 0 && len(s)-i > 4 { // "Bearer xyz": the token alone too
			r.secrets = append(r.secrets, strings.TrimSpace(s[i+1:]))
		}
	}
	sort.SliceStable(r.secrets, func(i, j int) bool { return len(r.secrets[i]) > len(r.secrets[j]) })
}

var (
	emailRE = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}`)
	jwtRE   = regexp.MustCompile(`eyJ[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]*`)
	nhsRE   = regexp.MustCompile(`\b\d{3}[ \-]\d{3}[ \-]\d{4}\b`)
	phoneRE = regexp.MustCompile(`\+\d[\d \-()]{7,}\d|\(\d{3}\) ?\d{3}-\d{4}`)
)

// text scrubs free text: secrets, then (when personal) emails, tokens, NHS and phone numbers.
func (r *redactor) text(s string) string {
	for _, sec := range r.secrets {
		s = strings.ReplaceAll(s, sec, secretText)
	}
	if !r.personal {
		return s
	}
	s = jwtRE.ReplaceAllString(s, redactedText)
	s = emailRE.ReplaceAllString(s, redactedText)
	s = nhsRE.ReplaceAllString(s, redactedText)
	return phoneRE.ReplaceAllString(s, redactedText)
}

// personalKey reports whether a property name holds personal data or a credential.
func personalKey(key string) bool {
	k := strings.ToLower(strings.NewReplacer("_", "", "-", "", " ", "").Replace(key))
	switch k {
	case "name", "fname", "lname", "surname", "dob", "zip", "ssn", "nhs", "tel", "fax", "city", "town",
		"county", "line1", "line2", "line3", "nickname", "preferred", "salutation", "initials":
		return true
	}
	for _, part := range []string{"firstname", "lastname", "middlename", "fullname", "givenname", "familyname",
		"preferredname", "patientname", "displayname", "username", "email", "phone", "mobile", "telephone",
		"birth", "dateofbirth", "address", "street", "postcode", "postalcode", "zipcode", "nhsnumber",
		"token", "password", "secret", "apikey", "sessionid", "cookie", "ssn", "socialsecurity", "insuranceid",
		"subscriberid", "medicaid"} {
		if strings.Contains(k, part) {
			return true
		}
	}
	return false
}

// pointerPersonal reports whether any token of a JSON pointer names personal data.
func pointerPersonal(ptr string) bool {
	for _, tok := range strings.Split(ptr, "/") {
		if tok != "" && personalKey(tok) {
			return true
		}
	}
	return false
}

// value redacts a decoded JSON value: personal properties get placeholder(key, value).
func (r *redactor) value(v any, placeholder func(key string, v any) any) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, x := range t {
			if r.personal && personalKey(k) && x != nil {
				if _, nested := x.(map[string]any); !nested {
					if _, list := x.([]any); !list {
						out[k] = placeholder(k, x)
						continue
					}
				}
			}
			out[k] = r.value(x, placeholder)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = r.value(x, placeholder)
		}
		return out
	case string:
		return r.text(t)
	}
	return v
}

func reportPlaceholder(string, any) any { return redactedText }

// recordPlaceholder keeps the type and a plausible shape, so recorded fixtures still validate.
func recordPlaceholder(key string, v any) any {
	k := strings.ToLower(key)
	switch v.(type) {
	case string:
		switch {
		case strings.Contains(k, "email"):
			return "redacted@example.com"
		case strings.Contains(k, "birth") || k == "dob":
			return "1970-01-01"
		case strings.Contains(k, "phone") || strings.Contains(k, "mobile") || k == "fax" || k == "tel":
			return "+10000000000"
		case strings.Contains(k, "nhs"):
			return "0000000000"
		}
		return "redacted"
	case float64, int64, int:
		return 0
	}
	return v
}

// body redacts an answer or request body for an excerpt: JSON is redacted by key and re-encoded,
// anything else as text.
func (r *redactor) body(data []byte) string {
	var v any
	if len(data) > 0 && json.Unmarshal(data, &v) == nil {
		if b, err := json.MarshalIndent(r.value(v, reportPlaceholder), "", "  "); err == nil {
			return r.text(string(b))
		}
	}
	return r.text(string(data))
}

// sensitiveHeader reports whether a header carries credentials or session state.
func sensitiveHeader(name string) bool {
	switch strings.ToLower(name) {
	case "authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "api-key", "x-auth-token":
		return true
	}
	return personalKey(name)
}

// redactURL drops the query, which may carry API keys, from URLs in error messages.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	u.RawQuery = ""
	u.User = nil
	return u.String()
}

// finding redacts the values a finding quotes.
func (r *redactor) finding(f Finding) Finding {
	if r.personal && pointerPersonal(f.Pointer) {
		if f.Actual != "" && f.Actual != "missing" && f.Actual != "present" {
			f.Actual = redactedText
		}
		f.Message = quotedValue.ReplaceAllString(f.Message, "'"+redactedText+"'")
	}
	f.Actual = r.text(f.Actual)
	f.Expected = r.text(f.Expected)
	f.Message = r.text(f.Message)
	return f
}

var quotedValue = regexp.MustCompile(`'[^']*'|"[^"]*"`)
