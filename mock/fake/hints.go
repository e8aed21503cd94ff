package fake

import "strings"

// hintFor picks the generator for property prop of the schema named parent:
// Options.Hints ("Parent.prop" then "prop"), then built-in name hints.
func (g *Generator) hintFor(parent, prop string) string {
	if len(g.hints) > 0 {
		if parent != "" {
			if h, ok := g.hints[strings.ToLower(parent+"."+prop)]; ok {
				return h
			}
		}
		if h, ok := g.hints[strings.ToLower(prop)]; ok {
			return h
		}
	}
	return nameHint(parent, prop)
}

// normName lower-cases a name and drops separators, so firstName, first_name,
// FirstName and first-name all become "firstname".
func normName(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case ch >= 'A' && ch <= 'Z':
			b.WriteByte(ch + 'a' - 'A')
		case ch == '_' || ch == '-' || ch == ' ' || ch == '.':
		default:
			b.WriteByte(ch)
		}
	}
	return b.String()
}

func oneOf(n string, names ...string) bool {
	for _, x := range names {
		if n == x {
			return true
		}
	}
	return false
}

func containsAny(n string, parts ...string) bool {
	for _, x := range parts {
		if strings.Contains(n, x) {
			return true
		}
	}
	return false
}

// organisation-like parent schema names.
func orgContext(parent string) bool {
	return containsAny(normName(parent), "company", "practice", "clinic", "organization", "organisation",
		"office", "brand", "vendor", "location", "site", "business", "lab", "pharmacy", "insurance",
		"carrier", "employer", "tenant", "account")
}

// nameHint maps a property name (in the context of its parent schema) to a
// generator name, or "".
func nameHint(parent, prop string) string {
	n := normName(prop)
	pn := normName(parent)
	switch {
	case n == "npi" || strings.HasSuffix(n, "npi"):
		return "npi"
	case strings.Contains(n, "nhs"):
		return "nhsNumber"
	case oneOf(n, "toothnum", "tooth", "toothnumber", "toothno"):
		return "toothNumber"
	case oneOf(n, "proccode", "procedurecode", "cdtcode", "adacode", "codecdt") ||
		(strings.HasSuffix(n, "code") && len(n) <= 8 && containsAny(pn, "proc", "treat", "fee", "claim", "service", "cov")):
		return "cdtCode"
	case strings.Contains(n, "email"):
		return "email"
	case containsAny(n, "mobile", "wireless", "cell"):
		return "mobile"
	case containsAny(n, "phone", "fax") || oneOf(n, "tel", "telephone"):
		return "phone"
	case oneOf(n, "username", "login", "handle", "loginname"):
		return "username"
	case oneOf(n, "firstname", "fname", "givenname", "forename", "preferredname", "preferred"):
		return "firstName"
	case oneOf(n, "lastname", "lname", "surname", "familyname"):
		return "lastName"
	case containsAny(n, "companyname", "practicename", "clinicname", "organizationname", "organisationname",
		"officename", "carriername", "employername", "brandname", "businessname") ||
		oneOf(n, "company", "organization", "organisation", "practice", "employer", "brand"):
		return "companyName"
	case oneOf(n, "name", "fullname", "displayname"):
		if orgContext(parent) {
			return "companyName"
		}
		return "fullName"
	case strings.HasSuffix(n, "name") && containsAny(n, "patient", "provider", "user", "contact", "client",
		"dentist", "doctor", "therapist", "staff", "employee", "guarantor", "person"):
		return "fullName"
	case oneOf(n, "mi", "middlei", "middleinitial"):
		return "middleInitial"
	case n == "suffix" || n == "namesuffix":
		return "suffix"
	case strings.HasSuffix(n, "token"):
		return "token"
	case n == "status" || strings.HasSuffix(n, "status") && len(n) < 14:
		return "status"
	case containsAny(n, "procdescript", "proceduredescription") || (strings.HasPrefix(n, "descript") &&
		containsAny(pn, "proc", "code", "treat")):
		return "procedureDescription"
	case oneOf(n, "empname", "employername", "carriername", "labname"):
		return "companyName"
	case oneOf(n, "salutation", "nametitle", "prefix", "honorific"):
		return "personTitle"
	case oneOf(n, "title", "jobtitle", "position", "occupation") && (n != "title" || !orgContext(parent)):
		return "jobTitle"
	case oneOf(n, "ip", "ipaddress", "ipv4"):
		return "ipv4"
	case oneOf(n, "address2", "addressline2", "line2", "street2"):
		return "addressLine2"
	case oneOf(n, "address", "address1", "addressline1", "line1", "street", "streetaddress", "street1"):
		return "streetAddress"
	case oneOf(n, "city", "town", "locality"):
		return "city"
	case oneOf(n, "state", "province", "county", "region", "stateprovince"):
		return "state"
	case oneOf(n, "zip", "zipcode", "postcode", "postalcode", "postal"):
		return "postcode"
	case oneOf(n, "countrycode", "countryiso"):
		return "countryCode"
	case n == "country":
		return "country"
	case containsAny(n, "avatar", "image", "photo", "picture", "logo", "thumbnail"):
		return "imageURL"
	case containsAny(n, "website", "homepage", "url", "uri", "link"):
		return "url"
	case oneOf(n, "gender", "sex"):
		return "gender"
	case oneOf(n, "dob", "birthdate", "dateofbirth", "birthday"):
		return "birthDate"
	case oneOf(n, "createdat", "updatedat", "created", "modified", "updated", "datetstamp", "secdatetedit",
		"secdateentry", "lastmodified", "timestamp", "createdon", "updatedon", "lastupdated", "datecreated",
		"datemodified", "deletedat", "lastlogin", "lastseen", "datetimestamp"):
		return "pastDateTime"
	case oneOf(n, "timezone", "tz", "timezoneid", "ianatimezone"):
		return "timezone"
	case oneOf(n, "language", "lang", "languagecode"):
		return "language"
	case n == "locale":
		return "locale"
	case strings.HasPrefix(n, "currency"):
		return "currencyCode"
	case containsAny(n, "amount", "price", "fee", "cost", "balance", "total", "charge", "payment", "copay",
		"amt", "deductible", "writeoff"):
		return "amount"
	case containsAny(n, "description", "note", "comment", "memo", "remark", "reason", "summary"):
		return "note"
	case oneOf(n, "color", "colour", "colorhex", "hexcolor"):
		return "color"
	case oneOf(n, "uuid", "guid"):
		return "uuid"
	case oneOf(n, "ssn", "socialsecuritynumber"):
		return "ssn"
	case oneOf(n, "password", "pwd", "passwd", "secret"):
		return "password"
	case n == "age":
		return "age"
	case oneOf(n, "count", "quantity", "qty", "units"):
		return "count"
	case containsAny(n, "specialty", "speciality"):
		return "specialty"
	case oneOf(n, "domain", "hostname", "host"):
		return "hostname"
	case n == "id" || strings.HasSuffix(n, "id") && len(n) > 2 || strings.HasSuffix(prop, "_id") ||
		strings.HasSuffix(prop, "Num") || strings.HasSuffix(n, "number") && !containsAny(n, "phone"):
		return "id"
	case containsAny(n, "date", "time"):
		return "recentDateTime"
	}
	return ""
}
