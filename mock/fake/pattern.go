package fake

import (
	"fmt"
	"regexp"
	"regexp/syntax"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxPatternRunes caps generated pattern output.
const maxPatternRunes = 512

// patternPlan is a compiled pattern: the matcher and its parsed AST.
type patternPlan struct {
	re   *regexp.Regexp
	ast  *syntax.Regexp
	mins map[*syntax.Regexp]int // minimal output length per node
}

// compilePattern parses a pattern for generation.
func compilePattern(pattern string) (*patternPlan, error) {
	re, err := regexp.Compile(pattern)
	if err != nil {
		return nil, fmt.Errorf("compile pattern %q: %w", pattern, err)
	}
	ast, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return nil, fmt.Errorf("parse pattern %q: %w", pattern, err)
	}
	pp := &patternPlan{re: re, ast: ast, mins: make(map[*syntax.Regexp]int)}
	pp.minLen(ast)
	return pp, nil
}

// minLen computes (and records) the minimal rune length node can produce.
func (pp *patternPlan) minLen(re *syntax.Regexp) int {
	n := 0
	switch re.Op {
	case syntax.OpLiteral:
		n = len(re.Rune)
	case syntax.OpCharClass, syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		n = 1
	case syntax.OpCapture:
		n = pp.minLen(re.Sub[0])
	case syntax.OpConcat:
		for _, s := range re.Sub {
			n += pp.minLen(s)
		}
	case syntax.OpAlternate:
		n = -1
		for _, s := range re.Sub {
			if m := pp.minLen(s); n < 0 || m < n {
				n = m
			}
		}
		n = max(n, 0)
	case syntax.OpStar, syntax.OpQuest:
		pp.minLen(re.Sub[0])
	case syntax.OpPlus:
		n = pp.minLen(re.Sub[0])
	case syntax.OpRepeat:
		n = re.Min * pp.minLen(re.Sub[0])
	}
	n = min(n, maxPatternRunes)
	pp.mins[re] = n
	return n
}

// generate returns a string matching the pattern whose rune length is in
// [minLen, maxLen] (maxLen < 0: unbounded) and that satisfies ok (may be nil).
// It reports an error when no attempt succeeds.
func (pp *patternPlan) generate(c *genCtx, minLen, maxLen int, ok func(string) bool) (string, error) {
	// repetition budgets tried for unbounded repeats (x*, x+, x{n,})
	extraSchedule := [...]int{3, 1, 6, 0, 2, 12, 24, 48, 96}
	var sb strings.Builder
	for attempt := 0; attempt < 2*len(extraSchedule); attempt++ {
		extra := extraSchedule[attempt%len(extraSchedule)]
		if minLen > 0 && attempt >= len(extraSchedule) {
			extra = max(extra, minLen)
		}
		sb.Reset()
		w := patternWalker{c: c, pp: pp, sb: &sb, extra: extra, slack: -1}
		if (minLen > 0 || maxLen >= 0) && attempt%3 != 2 {
			// length-targeted mode: aim for a length inside the bounds
			hi := maxLen
			if hi < 0 {
				hi = minLen + extra
			}
			target := c.between(minLen, min(hi, maxPatternRunes))
			w.slack = target - pp.mins[pp.ast]
			if w.slack < 0 {
				w.slack = 0
			}
		}
		w.walk(pp.ast)
		s := sb.String()
		n := utf8.RuneCountInString(s)
		if n < minLen || (maxLen >= 0 && n > maxLen) {
			continue
		}
		if !pp.re.MatchString(s) || (ok != nil && !ok(s)) {
			continue
		}
		return s, nil
	}
	return "", fmt.Errorf("pattern %q: no match within length [%d,%d]", pp.re.String(), minLen, maxLen)
}

type patternWalker struct {
	c     *genCtx
	pp    *patternPlan
	sb    *strings.Builder
	extra int // random mode: extra repetitions for unbounded repeats
	slack int // targeted mode (>= 0): runes left above the minimal length
	n     int
}

func (w *patternWalker) emit(r rune) {
	if w.n >= maxPatternRunes {
		return
	}
	w.sb.WriteRune(r)
	w.n++
}

func (w *patternWalker) walk(re *syntax.Regexp) {
	if w.n >= maxPatternRunes {
		return
	}
	switch re.Op {
	case syntax.OpLiteral:
		for _, r := range re.Rune {
			if re.Flags&syntax.FoldCase != 0 && w.c.chance(50) {
				r = swapCase(r)
			}
			w.emit(r)
		}
	case syntax.OpCharClass:
		w.emit(w.classRune(re.Rune))
	case syntax.OpAnyCharNotNL, syntax.OpAnyChar:
		w.emit(rune(alnum[w.c.intn(len(alnum))]))
	case syntax.OpCapture:
		w.walk(re.Sub[0])
	case syntax.OpConcat:
		for _, s := range re.Sub {
			w.walk(s)
		}
	case syntax.OpAlternate:
		w.alternate(re)
	case syntax.OpStar:
		w.repeat(re.Sub[0], 0, -1)
	case syntax.OpPlus:
		w.repeat(re.Sub[0], 1, -1)
	case syntax.OpQuest:
		w.repeat(re.Sub[0], 0, 1)
	case syntax.OpRepeat:
		w.repeat(re.Sub[0], re.Min, re.Max)
	}
	// Anchors, word boundaries and empty matches emit nothing; the final
	// MatchString decides.
}

// alternate walks one branch; in targeted mode only branches that fit the
// remaining slack are eligible.
func (w *patternWalker) alternate(re *syntax.Regexp) {
	if w.slack < 0 {
		w.walk(re.Sub[w.c.intn(len(re.Sub))])
		return
	}
	base := w.pp.mins[re]
	start := w.c.intn(len(re.Sub))
	for i := range re.Sub {
		s := re.Sub[(start+i)%len(re.Sub)]
		if cost := w.pp.mins[s] - base; cost <= w.slack {
			w.slack -= cost
			w.walk(s)
			return
		}
	}
	w.walk(re.Sub[start])
}

// repeat emits sub between lo and hi times (hi < 0: unbounded).
func (w *patternWalker) repeat(sub *syntax.Regexp, lo, hi int) {
	if w.slack < 0 {
		if hi < 0 || hi > lo+w.extra {
			hi = lo + w.extra
		}
		n := w.c.between(lo, hi)
		for i := 0; i < n && w.n < maxPatternRunes; i++ {
			w.walk(sub)
		}
		return
	}
	for i := 0; i < lo && w.n < maxPatternRunes; i++ {
		w.walk(sub)
	}
	cost := max(w.pp.mins[sub], 1)
	for i := lo; (hi < 0 || i < hi) && w.slack >= cost && w.n < maxPatternRunes; i++ {
		w.slack -= cost
		before := w.n
		w.walk(sub)
		if w.n == before {
			break
		}
	}
}

const alnum = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// classRune picks a rune from a class given as [lo, hi] pairs, preferring
// printable ASCII.
func (w *patternWalker) classRune(ranges []rune) rune {
	if len(ranges) < 2 {
		return 'a'
	}
	var ascii int
	for i := 0; i+1 < len(ranges); i += 2 {
		lo, hi := max(ranges[i], 0x21), min(ranges[i+1], 0x7e)
		if lo <= hi {
			ascii += int(hi - lo + 1)
		}
	}
	if ascii > 0 {
		k := w.c.intn(ascii)
		for i := 0; i+1 < len(ranges); i += 2 {
			lo, hi := max(ranges[i], 0x21), min(ranges[i+1], 0x7e)
			if lo > hi {
				continue
			}
			if size := int(hi - lo + 1); k < size {
				return lo + rune(k)
			} else {
				k -= size
			}
		}
	}
	// Non-ASCII (or space-only) class: pick from a range, avoiding surrogates.
	i := 2 * w.c.intn(len(ranges)/2)
	lo, hi := ranges[i], ranges[i+1]
	if hi-lo > 1<<16 {
		hi = lo + 1<<16
	}
	r := lo + rune(w.c.intn(int(hi-lo)+1))
	if !utf8.ValidRune(r) {
		return 'a'
	}
	return r
}

func swapCase(r rune) rune {
	if unicode.IsUpper(r) {
		return unicode.ToLower(r)
	}
	return unicode.ToUpper(r)
}
