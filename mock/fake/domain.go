package fake

import (
	"strconv"
	"strings"
)

// npi returns a 10-digit US National Provider Identifier whose last digit is
// the Luhn check digit computed over "80840" + the first nine digits.
func (c *genCtx) npi() string {
	var d [10]byte
	d[0] = byte('1' + c.intn(2))
	for i := 1; i < 9; i++ {
		d[i] = byte('0' + c.intn(10))
	}
	d[9] = '0' + npiCheckDigit(string(d[:9]))
	return string(d[:])
}

// npiCheckDigit computes the NPI check digit for nine digits.
func npiCheckDigit(nine string) byte {
	return luhnCheckDigit("80840" + nine)
}

// luhnCheckDigit returns the Luhn digit to append to digits.
func luhnCheckDigit(digits string) byte {
	sum := 0
	double := true
	for i := len(digits) - 1; i >= 0; i-- {
		n := int(digits[i] - '0')
		if double {
			n *= 2
			if n > 9 {
				n -= 9
			}
		}
		sum += n
		double = !double
	}
	return byte((10 - sum%10) % 10)
}

// nhsNumber returns a 10-digit NHS number with a valid modulus-11 check digit
// (numbers whose check digit would be 10 are never produced).
func (c *genCtx) nhsNumber() string {
	var d [10]byte
	for {
		d[0] = byte('4' + c.intn(6)) // 4xx-9xx ranges are in use
		for i := 1; i < 9; i++ {
			d[i] = byte('0' + c.intn(10))
		}
		if cd, ok := nhsCheckDigit(string(d[:9])); ok {
			d[9] = '0' + cd
			return string(d[:])
		}
	}
}

// nhsCheckDigit computes the NHS modulus-11 check digit for nine digits; ok is
// false when the number is invalid (check value 10).
func nhsCheckDigit(nine string) (byte, bool) {
	sum := 0
	for i := 0; i < 9; i++ {
		sum += int(nine[i]-'0') * (10 - i)
	}
	cd := 11 - sum%11
	switch cd {
	case 11:
		return 0, true
	case 10:
		return 0, false
	}
	return byte(cd), true
}

// ukPostcode returns a realistic UK postcode such as "SW1A 2AA".
func (c *genCtx) ukPostcode() string {
	outward := c.pick([]string{"SW1A", "EC1V", "W1D", "NW3", "E14", "SE10", "M1", "M20", "B15", "LS6",
		"G12", "EH3", "CF10", "BS8", "OX1", "CB2", "BN1", "L3", "NE1", "S10", "NG7", "LE1", "YO1", "BA1"})
	const letters = "ABDEFGHJLNPQRSTUWXYZ"
	return outward + " " + strconv.Itoa(c.intn(10)) + string(letters[c.intn(len(letters))]) +
		string(letters[c.intn(len(letters))])
}

// phone returns a phone number for the locale, rendered in the first style
// (most realistic first) that satisfies p.
func (c *genCtx) phone(p *plan, mobile bool) string {
	var styles [4]func() string
	n := 0
	if c.g.opts.Locale == LocaleUK {
		if mobile || c.chance(50) {
			s := strconv.Itoa(900000 + c.intn(1000)) // Ofcom drama range 07700 900xxx
			styles = [4]func() string{
				func() string { return "+44 7700 " + s },
				func() string { return "+447700" + s },
				func() string { return "07700 " + s },
				func() string { return "07700" + s },
			}
			n = 4
		} else {
			area := c.pick([]string{"20 7946", "161 496", "113 496", "117 496", "131 496", "121 496"})
			line := "0" + strconv.Itoa(1000 + c.intn(9000))[1:]
			styles = [4]func() string{
				func() string { return "+44 " + area + " " + line },
				func() string { return "+44" + strings.ReplaceAll(area, " ", "") + line },
				func() string { return "0" + strings.ReplaceAll(area, " ", "") + line },
			}
			n = 3
		}
	} else {
		area := c.pick([]string{"503", "971", "206", "415", "312", "617", "212", "305", "512", "720", "602", "404"})
		ex := strconv.Itoa(200 + c.intn(800))
		line := strconv.Itoa(10000 + c.intn(10000))[1:]
		styles = [4]func() string{
			func() string { return "(" + area + ") " + ex + "-" + line },
			func() string { return area + "-" + ex + "-" + line },
			func() string { return "+1" + area + ex + line },
			func() string { return area + ex + line },
		}
		n = 4
	}
	first := styles[0]()
	if p == nil || p.stringOK(first) {
		return first
	}
	for _, f := range styles[1:n] {
		if s := f(); p.stringOK(s) {
			return s
		}
	}
	return first
}

// streetAddress returns a first address line for the locale.
func (c *genCtx) streetAddress() string {
	if c.g.opts.Locale == LocaleUK {
		return strconv.Itoa(1+c.intn(180)) + " " + c.pick([]string{"High", "Church", "Station", "Victoria",
			"Park", "Mill", "Queen's", "King's", "Manor", "Albert", "Kingsway", "Castle"}) + " " +
			c.pick([]string{"Road", "Street", "Lane", "Avenue", "Close", "Gardens", "Crescent", "Way"})
	}
	return c.f.StreetNumber() + " " + c.f.StreetName() + " " + c.f.StreetSuffix()
}

// addressLine2 returns a second address line.
func (c *genCtx) addressLine2() string {
	if c.g.opts.Locale == LocaleUK {
		return c.pick([]string{"Flat ", "Unit ", "Suite "}) + strconv.Itoa(1+c.intn(40))
	}
	return c.pick([]string{"Suite ", "Apt ", "Unit ", "Ste "}) + strconv.Itoa(100+c.intn(900))
}

func (c *genCtx) city() string {
	if c.g.opts.Locale == LocaleUK {
		return c.pick([]string{"London", "Manchester", "Birmingham", "Leeds", "Bristol", "Glasgow",
			"Edinburgh", "Cardiff", "Liverpool", "Sheffield", "Nottingham", "Oxford", "Cambridge", "Brighton",
			"Newcastle upon Tyne", "York", "Bath", "Leicester"})
	}
	return c.f.City()
}

func (c *genCtx) state() []string {
	if c.g.opts.Locale == LocaleUK {
		return []string{c.pick([]string{"Greater London", "Greater Manchester", "West Midlands", "West Yorkshire",
			"Bristol", "Lanarkshire", "Oxfordshire", "Cambridgeshire", "East Sussex", "Merseyside"})}
	}
	return []string{c.f.StateAbr(), c.f.State()}
}

func (c *genCtx) postcode() []string {
	if c.g.opts.Locale == LocaleUK {
		pc := c.ukPostcode()
		return []string{pc, strings.ReplaceAll(pc, " ", "")}
	}
	z := strconv.Itoa(10000 + c.intn(89999))
	return []string{z, z + "-" + strconv.Itoa(1000+c.intn(9000))}
}

func (c *genCtx) country() []string {
	if c.g.opts.Locale == LocaleUK {
		return []string{"United Kingdom", "GB", "GBR"}
	}
	return []string{"United States", "US", "USA"}
}

// cdtCode returns a common ADA CDT procedure code.
func (c *genCtx) cdtCode() string {
	return c.pick([]string{"D0120", "D0140", "D0150", "D0210", "D0220", "D0274", "D0330", "D1110", "D1120",
		"D1206", "D1351", "D2140", "D2150", "D2330", "D2331", "D2391", "D2392", "D2740", "D2750", "D2950",
		"D3310", "D3330", "D4341", "D4342", "D4910", "D5110", "D6010", "D7140", "D7210", "D9110", "D9230"})
}

// note returns a short realistic clinical/admin sentence.
func (c *genCtx) note() string {
	subj := c.pick([]string{"Patient", "Pt", "Client"})
	return subj + " " + c.pick([]string{
		"reports sensitivity on the lower left molar.",
		"requested a morning appointment next visit.",
		"tolerated the procedure well.",
		"was advised to floss daily and return in six months.",
		"prefers text message reminders.",
		"has a history of anxiety during treatment.",
		"needs insurance details updated at next visit.",
		"was referred to a periodontist for evaluation.",
		"cancelled due to a work conflict; rescheduled.",
		"completed the medical history form online.",
		"reports occasional bleeding gums when brushing.",
		"is allergic to penicillin.",
	})
}

// specialty returns a dental/health specialty.
func (c *genCtx) specialty() string {
	return c.pick([]string{"General Dentistry", "Orthodontics", "Periodontics", "Endodontics",
		"Oral Surgery", "Pediatric Dentistry", "Prosthodontics", "Hygiene", "Physiotherapy", "Counselling"})
}
