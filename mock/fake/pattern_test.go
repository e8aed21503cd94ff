package fake

import (
	"regexp"
	"testing"
	"unicode/utf8"
)

// generatePattern is the test entry point to the pattern generator.
func generatePattern(seed uint64, pattern string, minLen, maxLen int) (string, error) {
	pp, err := compilePattern(pattern)
	if err != nil {
		return "", err
	}
	c := &genCtx{g: New(Options{}), f: newFaker(seed)}
	return pp.generate(c, minLen, maxLen, nil)
}

func TestPatternTable(t *testing.T) {
	cases := []struct {
		pattern        string
		minLen, maxLen int
	}{
		{`^\d+$`, 0, -1},
		{`^\d{3}-\d{2}-\d{4}$`, 0, -1},
		{`^[A-Z]{2}\d{2} ?\d[A-Z]{2}$`, 0, -1},
		{`^(?:\+44|0)7\d{9}$`, 0, -1},
		{`^D\d{4}$`, 0, -1},
		{`^[a-z]+$`, 30, 31},
		{`^[a-z]*$`, 0, 2},
		{`^\p{Lu}\p{Ll}+$`, 0, -1},
		{`(?i)^abc$`, 0, -1},
		{`^[^\s]{5}$`, 0, -1},
		{`^.{2,5}$`, 0, -1},
		{`^\w+@\w+\.com$`, 0, -1},
		{`^(true|false)$`, 0, -1},
		{`^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$`, 0, -1},
	}
	for _, tc := range cases {
		re := regexp.MustCompile(tc.pattern)
		for seed := uint64(1); seed < 30; seed++ {
			s, err := generatePattern(seed, tc.pattern, tc.minLen, tc.maxLen)
			if err != nil {
				t.Fatalf("%s: %v", tc.pattern, err)
			}
			n := utf8.RuneCountInString(s)
			if !re.MatchString(s) || n < tc.minLen || (tc.maxLen >= 0 && n > tc.maxLen) {
				t.Fatalf("%s [%d,%d]: generated %q", tc.pattern, tc.minLen, tc.maxLen, s)
			}
		}
	}
}

func TestPatternImpossibleReportsError(t *testing.T) {
	if _, err := generatePattern(1, `^a{5}$`, 0, 3); err == nil {
		t.Fatal("expected an error for an infeasible length")
	}
	if _, err := generatePattern(1, `^a$b`, 0, -1); err == nil {
		t.Fatal("expected an error for an unsatisfiable pattern")
	}
	if _, err := generatePattern(1, `(`, 0, -1); err == nil {
		t.Fatal("expected an error for an invalid pattern")
	}
}

// FuzzPattern: any pattern that compiles under RE2 either yields a matching
// string or a reported error — never a panic or a non-matching string. The
// schema-level generator must also fall back to a value without panicking.
func FuzzPattern(f *testing.F) {
	for _, s := range []string{`^\d+$`, `[a-z]{3,}`, `^(a|b)*c$`, `\bfoo\b`, `^$`, `[^a-z]`, `x{2,4}?y`, `(?i)Ab+`, `^\pL{2}$`} {
		f.Add(s, uint8(0), uint8(10))
	}
	f.Fuzz(func(t *testing.T, pattern string, minLen, span uint8) {
		re, err := regexp.Compile(pattern)
		if err != nil {
			t.Skip()
		}
		lo, hi := int(minLen%40), int(minLen%40)+int(span%40)
		s, err := generatePattern(uint64(len(pattern))+1, pattern, lo, hi)
		if err == nil {
			n := utf8.RuneCountInString(s)
			if !re.MatchString(s) || n < lo || n > hi {
				t.Fatalf("pattern %q [%d,%d]: generated %q", pattern, lo, hi, s)
			}
		}
		// whole-schema path: must not panic and must return a string
		p := newPlan()
		p.types = tStr
		pp, _ := compilePattern(pattern)
		p.patterns = append(p.patterns, pp)
		p.minLen, p.maxLen = lo, hi
		c := &genCtx{g: New(Options{}), f: newFaker(7), now: fixedNow()}
		if _, ok := c.value(p, nil, 0).(string); !ok {
			t.Fatal("no string produced")
		}
	})
}
