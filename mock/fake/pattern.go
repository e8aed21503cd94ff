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
	re  *regexp.Regexp
	ast *syntax.Regexp
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
	return &patternPlan{re: re, ast: ast}, nil
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
		w := patternWalker{c: c, sb: &sb, extra: extra}
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
	sb    *strings.Builder
	extra int
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
		w.walk(re.Sub[w.c.intn(len(re.Sub))])
	case syntax.OpStar:
		w.repeat(re.Sub[0], 0, w.extra)
	case syntax.OpPlus:
		w.repeat(re.Sub[0], 1, 1+w.extra)
	case syntax.OpQuest:
		w.repeat(re.Sub[0], 0, 1)
	case syntax.OpRepeat:
		hi := re.Max
		if hi < 0 || hi > re.Min+w.extra {
			hi = re.Min + w.extra
		}
		w.repeat(re.Sub[0], re.Min, hi)
	}
	// Anchors, word boundaries and empty matches emit nothing; the final
	// MatchString decides.
}

func (w *patternWalker) repeat(sub *syntax.Regexp, lo, hi int) {
	n := w.c.between(lo, hi)
	for i := 0; i < n && w.n < maxPatternRunes; i++ {
		w.walk(sub)
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
