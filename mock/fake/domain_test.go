package fake

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
)

// validNPI is an independent NPI checker: Luhn over "80840" + all 10 digits.
func validNPI(s string) bool {
	if len(s) != 10 || strings.Trim(s, "0123456789") != "" {
		return false
	}
	full := "80840" + s
	sum := 0
	for i := 0; i < len(full); i++ {
		d := int(full[len(full)-1-i] - '0')
		if i%2 == 1 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum%10 == 0
}

// validNHS is an independent NHS number checker (modulus 11).
func validNHS(s string) bool {
	s = strings.ReplaceAll(s, " ", "")
	if len(s) != 10 || strings.Trim(s, "0123456789") != "" {
		return false
	}
	sum := 0
	for i := 0; i < 9; i++ {
		sum += int(s[i]-'0') * (10 - i)
	}
	check := 11 - sum%11
	if check == 11 {
		check = 0
	}
	return check != 10 && check == int(s[9]-'0')
}

func TestCheckersOnKnownNumbers(t *testing.T) {
	// Published examples: CMS NPI example and the NHS Digital sample number.
	if !validNPI("1234567893") || validNPI("1234567890") {
		t.Fatal("NPI checker broken")
	}
	if !validNHS("9434765919") || validNHS("9434765918") {
		t.Fatal("NHS checker broken")
	}
}

func TestDomainGenerators(t *testing.T) {
	for _, loc := range []Locale{LocaleUS, LocaleUK} {
		g := New(Options{Seed: 77, Now: fixedNow, Locale: loc})
		for i := 0; i < 500; i++ {
			c := &genCtx{g: g, f: newFaker(uint64(i + 1)), now: fixedNow()}
			if n := c.npi(); !validNPI(n) {
				t.Fatalf("bad NPI %s", n)
			}
			if n := c.nhsNumber(); !validNHS(n) {
				t.Fatalf("bad NHS number %s", n)
			}
			pc := c.ukPostcode()
			if !regexp.MustCompile(`^[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}$`).MatchString(pc) {
				t.Fatalf("bad UK postcode %q", pc)
			}
			ph := c.phone(nil, false)
			if loc == LocaleUK && !strings.HasPrefix(ph, "+44 ") {
				t.Fatalf("UK phone %q", ph)
			}
			if loc == LocaleUS && !regexp.MustCompile(`^\(\d{3}\) \d{3}-\d{4}$`).MatchString(ph) {
				t.Fatalf("US phone %q", ph)
			}
			if code := c.cdtCode(); !regexp.MustCompile(`^D\d{4}$`).MatchString(code) {
				t.Fatalf("CDT code %q", code)
			}
		}
	}
}

func TestHints(t *testing.T) {
	s := schemaFromYAML(t, `
type: object
required: [custom, nhs_number, npi, ToothNum, tooth, ProcCode, FName, LName, HmPhone, email, Zip, createdAt, PatNum, hinted, override, bad]
properties:
  custom: {type: string, x-vendormock-faker: nhsNumber}
  nhs_number: {type: string}
  npi: {type: string}
  ToothNum: {type: string}
  tooth: {type: integer}
  ProcCode: {type: string}
  FName: {type: string}
  LName: {type: string}
  HmPhone: {type: string}
  email: {type: string}
  Zip: {type: string}
  createdAt: {type: string, format: date-time}
  PatNum: {type: integer}
  hinted: {type: string}
  override: {type: string}
  bad: {type: string, maxLength: 3, x-vendormock-faker: companyName}
`)
	for _, loc := range []Locale{LocaleUS, LocaleUK} {
		g := New(Options{Seed: 1, Now: fixedNow, Locale: loc,
			Hints: map[string]string{"hinted": "npi", "S.override": "cdtCode", "override": "npi"}})
		for i := 0; i < 50; i++ {
			m := g.Generate(s, fmt.Sprint("h", i), Response).(map[string]any)
			str := func(k string) string { return m[k].(string) }
			checks := map[string]bool{
				"custom":     validNHS(str("custom")),
				"nhs_number": validNHS(str("nhs_number")),
				"npi":        validNPI(str("npi")),
				"hinted":     validNPI(str("hinted")),
				"override":   regexp.MustCompile(`^D\d{4}$`).MatchString(str("override")),
				"ProcCode":   regexp.MustCompile(`^D\d{4}$`).MatchString(str("ProcCode")),
				"ToothNum":   regexp.MustCompile(`^([1-9]|[12]\d|3[0-2])$`).MatchString(str("ToothNum")),
				"tooth":      m["tooth"].(int64) >= 1 && m["tooth"].(int64) <= 32,
				"email":      strings.Contains(str("email"), "@"),
				"PatNum":     m["PatNum"].(int64) > 0,
				"createdAt":  str("createdAt") < fixedNow().Format("2006-01-02T15:04:05Z"),
				"bad":        len(str("bad")) <= 3,
				"FName":      str("FName") != "" && !strings.Contains(str("FName"), " "),
			}
			if loc == LocaleUK {
				checks["Zip"] = regexp.MustCompile(`^[A-Z0-9]{2,4} \d[A-Z]{2}$`).MatchString(str("Zip"))
				checks["HmPhone"] = strings.HasPrefix(str("HmPhone"), "+44")
			} else {
				checks["Zip"] = regexp.MustCompile(`^\d{5}(-\d{4})?$`).MatchString(str("Zip"))
				checks["HmPhone"] = regexp.MustCompile(`^\(\d{3}\) \d{3}-\d{4}$`).MatchString(str("HmPhone"))
			}
			for k, ok := range checks {
				if !ok {
					t.Fatalf("locale %d: %s = %#v does not look right (%v)", loc, k, m[k], m)
				}
			}
		}
	}
}

func TestNameHintVariants(t *testing.T) {
	cases := map[string]string{
		"firstName": "firstName", "first_name": "firstName", "FName": "firstName", "LName": "lastName",
		"emailAddress": "email", "emailid": "email", "HmPhone": "phone", "WkPhone": "phone",
		"WirelessPhone": "mobile", "Address": "streetAddress", "Address2": "addressLine2", "postalCode": "postcode",
		"UserName": "username", "Birthdate": "birthDate", "DateTStamp": "pastDateTime",
		"SecDateTEdit": "pastDateTime", "patient_id": "id", "AptNum": "id", "nhsNumber": "nhsNumber",
		"ToothNum": "toothNumber", "ProcCode": "cdtCode", "timezone": "timezone", "avatar": "imageURL",
		"website": "url", "notes": "note", "fee": "amount", "currency": "currencyCode",
	}
	for prop, want := range cases {
		if got := nameHint("Patient", prop); got != want {
			t.Errorf("nameHint(%q) = %q, want %q", prop, got, want)
		}
		if !Known(want) {
			t.Errorf("%q is not Known", want)
		}
	}
	if nameHint("Practice", "name") != "companyName" || nameHint("Patient", "name") != "fullName" {
		t.Error("name should depend on context")
	}
	if Known("noSuchGenerator") {
		t.Error("Known accepted an unknown name")
	}
}

func TestEveryNamedGeneratorProduces(t *testing.T) {
	g := New(Options{Seed: 2, Now: fixedNow})
	c := &genCtx{g: g, f: newFaker(3), now: fixedNow()}
	free := newPlan()
	for _, n := range Names() {
		got := false
		for _, k := range []tset{tStr, tInt, tNum} {
			if c.named(n, free, k) != nil {
				got = true
			}
		}
		if !got {
			t.Errorf("generator %q produced nothing", n)
		}
	}
}

func TestOptionsValidate(t *testing.T) {
	if err := (Options{Hints: map[string]string{"email": "email", "Patient.npi": "npi"}}).Validate(); err != nil {
		t.Fatal(err)
	}
	err := (Options{Hints: map[string]string{"x": "nope"}}).Validate()
	if err == nil || !strings.Contains(err.Error(), `x="nope"`) {
		t.Fatalf("want unknown-generator error, got %v", err)
	}
}
