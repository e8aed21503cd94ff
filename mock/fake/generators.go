package fake

import (
	"strconv"
	"strings"
	"time"
)

// Names lists the generator names usable in Options.Hints and in the
// x-vendormock-faker schema extension.
func Names() []string {
	return []string{
		"addressLine2", "age", "amount", "birthDate", "cdtCode", "city", "color", "companyName", "count",
		"country", "countryCode", "currencyCode", "date", "digits", "email", "firstName", "fullName", "gender",
		"hexColor", "hostname", "id", "imageURL", "ipv4", "ipv6", "jobTitle", "language", "lastName", "locale",
		"middleInitial", "mobile", "nhsNumber", "note", "npi", "password", "pastDateTime", "personTitle", "phone",
		"postcode", "procedureDescription", "recentDateTime", "sentence", "specialty", "ssn", "state", "status",
		"streetAddress", "suffix", "timezone", "token", "toothNumber", "url", "username", "uuid", "word",
	}
}

// Known reports whether name is a generator name (see Names).
func Known(name string) bool {
	for _, n := range Names() {
		if n == name {
			return true
		}
	}
	return false
}

// named runs generator name for a value of the given kind; it returns nil
// when the generator does not produce that kind or nothing fits p. The caller
// validates the result against p.
func (c *genCtx) named(name string, p *plan, kind tset) any {
	switch name {
	case "id":
		switch kind {
		case tInt, tNum:
			lo, hi := p.intBounds()
			if !p.hasHi && lo < 100000 {
				hi = max(lo, 1) + 9998
			}
			return lo + c.span(hi-lo)
		case tStr:
			if p.format == "uuid" {
				return c.f.UUID()
			}
			return strconv.Itoa(1 + c.intn(99999))
		}
		return nil
	case "age":
		return c.numeric(kind, int64(c.between(1, 90)))
	case "count":
		return c.numeric(kind, int64(c.between(1, 10)))
	case "toothNumber":
		return c.numeric(kind, int64(c.between(1, 32)))
	case "amount":
		v := float64(c.between(500, 250000)) / 100
		switch kind {
		case tNum:
			return v
		case tInt:
			return int64(v)
		case tStr:
			return strconv.FormatFloat(v, 'f', 2, 64)
		}
		return nil
	}
	if kind != tStr {
		return nil
	}
	switch name {
	case "firstName":
		return c.f.FirstName()
	case "lastName":
		return c.f.LastName()
	case "fullName":
		return c.f.FirstName() + " " + c.f.LastName()
	case "companyName":
		return c.companyName()
	case "email":
		return c.firstOK(p, strings.ToLower(c.f.FirstName()+"."+c.f.LastName()+"@"+
			c.pick([]string{"example.com", "mail.com", "inbox.net", "post.co.uk", "smiles.org"})))
	case "phone":
		return c.phone(p, false)
	case "mobile":
		return c.phone(p, true)
	case "streetAddress":
		return c.streetAddress()
	case "addressLine2":
		return c.addressLine2()
	case "city":
		return c.city()
	case "state":
		return c.firstOK(p, c.state()...)
	case "postcode":
		return c.firstOK(p, c.postcode()...)
	case "country":
		return c.firstOK(p, c.country()...)
	case "countryCode":
		return c.firstOK(p, c.country()[1:]...)
	case "jobTitle":
		return c.f.JobTitle()
	case "personTitle":
		return c.pick([]string{"Mr", "Mrs", "Ms", "Miss", "Dr"})
	case "url":
		return c.f.URL()
	case "imageURL":
		return "https://images.example.com/" + c.letters(12, "abcdefghijklmnopqrstuvwxyz0123456789") + ".jpg"
	case "username":
		return strings.ToLower(c.f.FirstName() + "." + c.f.LastName())
	case "gender":
		return c.firstOK(p, c.pick([]string{"Male", "Female"}), c.pick([]string{"male", "female"}),
			c.pick([]string{"M", "F"}))
	case "birthDate":
		years := c.between(1, 89)
		t := c.now.AddDate(-years, 0, -c.intn(365))
		return c.timeString(p, t, true)
	case "pastDateTime":
		return c.timeString(p, c.pastTime(365*24*time.Hour), false)
	case "recentDateTime":
		t := c.now.Add(time.Duration(c.between(-90*24*60, 60*24*60)) * time.Minute)
		return c.timeString(p, t, false)
	case "date":
		return c.timeString(p, c.pastTime(2*365*24*time.Hour), true)
	case "timezone":
		if c.g.opts.Locale == LocaleUK {
			return "Europe/London"
		}
		return c.pick([]string{"America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles",
			"America/Phoenix", "America/Anchorage", "Pacific/Honolulu"})
	case "language":
		return c.firstOK(p, "en", "en-"+c.localeRegion(), "English")
	case "locale":
		return c.firstOK(p, "en-"+c.localeRegion(), "en_"+c.localeRegion(), "en")
	case "currencyCode":
		if c.g.opts.Locale == LocaleUK {
			return "GBP"
		}
		return "USD"
	case "note", "sentence":
		return c.note()
	case "color":
		return c.firstOK(p, c.f.Color(), c.f.HexColor())
	case "hexColor":
		return c.f.HexColor()
	case "uuid":
		return c.f.UUID()
	case "ssn":
		return c.firstOK(p, strconv.Itoa(100+c.intn(565))+"-"+strconv.Itoa(10+c.intn(90))+"-"+
			strconv.Itoa(1000+c.intn(9000)))
	case "password":
		return c.f.Password(true, true, true, false, false, 14)
	case "specialty":
		return c.specialty()
	case "hostname":
		return strings.ToLower(c.f.DomainName())
	case "ipv4":
		return c.f.IPv4Address()
	case "ipv6":
		return c.f.IPv6Address()
	case "npi":
		return c.npi()
	case "nhsNumber":
		n := c.nhsNumber()
		return c.firstOK(p, n, n[:3]+" "+n[3:6]+" "+n[6:])
	case "cdtCode":
		return c.cdtCode()
	case "digits":
		return c.letters(c.between(max(p.minLen, 1), max(p.minLen, 1)+5), "0123456789")
	case "word":
		return c.f.Word()
	case "middleInitial":
		return c.letters(1, "ABCDEFGHIJKLMNOPRSTW")
	case "suffix":
		return c.pick([]string{"Jr", "Sr", "II", "III", "DDS", "DMD", "RDH"})
	case "token":
		return c.letters(c.between(max(p.minLen, 32), max(p.minLen, 32)+8),
			"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
	case "status":
		return c.pick([]string{"active", "pending", "completed", "scheduled", "cancelled"})
	case "procedureDescription":
		return c.pick([]string{"Periodic oral evaluation", "Comprehensive oral evaluation", "Prophylaxis - adult",
			"Prophylaxis - child", "Bitewings - two radiographic images", "Panoramic radiographic image",
			"Resin-based composite - one surface, posterior", "Crown - porcelain/ceramic",
			"Root canal - molar", "Periodontal scaling and root planing - four or more teeth per quadrant",
			"Extraction, erupted tooth", "Topical application of fluoride varnish", "Sealant - per tooth"})
	}
	return nil
}

// numeric renders a small integer for the requested kind.
func (c *genCtx) numeric(kind tset, v int64) any {
	switch kind {
	case tInt:
		return v
	case tNum:
		return float64(v)
	case tStr:
		return strconv.FormatInt(v, 10)
	}
	return nil
}

// firstOK returns the first candidate that satisfies p (or the first one).
func (c *genCtx) firstOK(p *plan, cands ...string) any {
	for _, s := range cands {
		if p.stringOK(s) {
			return s
		}
	}
	return cands[0]
}

// timeString renders t for p: date format, date-time format, or (for plain
// strings) the first layout that fits.
func (c *genCtx) timeString(p *plan, t time.Time, dateOnly bool) any {
	t = t.UTC().Truncate(time.Second)
	switch p.format {
	case "date":
		return t.Format(time.DateOnly)
	case "date-time":
		return t.Format(time.RFC3339)
	}
	layouts := [...]string{time.RFC3339, time.DateTime, time.DateOnly, "2006-01-02T15:04:05"}
	if dateOnly {
		layouts[0], layouts[2] = time.DateOnly, time.RFC3339
	}
	for _, l := range layouts {
		if s := t.Format(l); p.stringOK(s) {
			return s
		}
	}
	return t.Format(layouts[0])
}

func (c *genCtx) localeRegion() string {
	if c.g.opts.Locale == LocaleUK {
		return "GB"
	}
	return "US"
}

// companyName returns a practice-flavoured organisation name.
func (c *genCtx) companyName() string {
	switch c.intn(4) {
	case 0:
		return c.f.LastName() + " Family Dental"
	case 1:
		return c.city() + " " + c.pick([]string{"Dental Care", "Smile Studio", "Orthodontics", "Dental Group",
			"Health Centre", "Physio Clinic"})
	case 2:
		return c.pick([]string{"Bright", "Gentle", "Riverside", "Parkview", "Summit", "Harbor", "Oakwood"}) +
			" " + c.pick([]string{"Dental", "Dentistry", "Smiles", "Family Dentistry", "Health"})
	}
	return c.f.Company()
}
