package fake

import (
	"math"
	"strconv"
	"strings"
)

// intBounds returns the inclusive integer range allowed by p, defaulting to
// small positive values when unbounded.
func (p *plan) intBounds() (lo, hi int64) {
	const span = 999
	hasLo, hasHi := p.hasLo, p.hasHi
	if hasLo {
		f := math.Ceil(p.lo)
		if p.loEx && f == p.lo {
			f++
		}
		lo = clampInt(f)
	}
	if hasHi {
		f := math.Floor(p.hi)
		if p.hiEx && f == p.hi {
			f--
		}
		hi = clampInt(f)
	}
	switch {
	case !hasLo && !hasHi:
		return 1, span
	case !hasLo:
		if hi >= span {
			return 1, span
		}
		return hi - span, hi
	case !hasHi:
		if lo <= 1 && lo >= -span {
			return max(lo, 1), span
		}
		return lo, lo + span
	}
	return lo, hi
}

func clampInt(f float64) int64 {
	switch {
	case f >= 1<<62:
		return 1 << 62
	case f <= -(1 << 62):
		return -(1 << 62)
	}
	return int64(f)
}

// integer generates an int64 within bounds and multipleOf.
func (c *genCtx) integer(p *plan) any {
	lo, hi := p.intBounds()
	if len(p.multipleOf) == 0 {
		return lo + int64(c.span(hi-lo))
	}
	step := combinedStep(p.multipleOf, true)
	if step <= 0 {
		return lo
	}
	klo := int64(math.Ceil(float64(lo) / step))
	khi := int64(math.Floor(float64(hi) / step))
	if khi < klo {
		return lo
	}
	k := klo + int64(c.span(khi-klo))
	return int64(math.Round(float64(k) * step))
}

// span returns a random value in [0, n], tolerating huge n.
func (c *genCtx) span(n int64) int64 {
	if n <= 0 {
		return 0
	}
	if n >= 1<<31 {
		return int64(c.f.Uint64() % uint64(n+1))
	}
	return int64(c.intn(int(n) + 1))
}

// combinedStep returns the smallest step that is a multiple of every m (and
// integral when integral is set); 0 when none is found.
func combinedStep(ms []float64, integral bool) float64 {
	step := ms[0]
	next := func(want func(float64) bool) bool {
		for j := 1; j <= 1000; j++ {
			if want(step * float64(j)) {
				step = roundTo(step*float64(j), decimals(step*float64(j)))
				return true
			}
		}
		return false
	}
	for _, m := range ms[1:] {
		m := m
		if !next(func(s float64) bool { return isMultiple(s, m) }) {
			return 0
		}
	}
	if integral && !next(func(s float64) bool { return isMultiple(s, 1) }) {
		return 0
	}
	return step
}

// number generates a float64 within bounds and multipleOf, rounded to the
// precision of multipleOf or to two decimals.
func (c *genCtx) number(p *plan) any {
	lo, hi := 0.0, 1000.0
	if p.hasLo {
		lo = p.lo
		if !p.hasHi {
			hi = lo + 1000
		}
	}
	if p.hasHi {
		hi = p.hi
		if !p.hasLo {
			lo = math.Min(0, hi-1000)
		}
	}
	if len(p.multipleOf) > 0 {
		step := combinedStep(p.multipleOf, false)
		if step > 0 {
			klo := math.Ceil(lo / step)
			if p.loEx && klo*step <= lo {
				klo++
			}
			khi := math.Floor(hi / step)
			if p.hiEx && khi*step >= hi {
				khi--
			}
			if khi >= klo {
				k := klo + float64(c.span(int64(math.Min(khi-klo, 1<<40))))
				return roundTo(k*step, decimals(step))
			}
		}
	}
	for try := 0; try < 8; try++ {
		v := roundTo(lo+c.f.Float64()*(hi-lo), 2)
		if p.numberOK(v) {
			return v
		}
	}
	mid := lo + (hi-lo)/2
	return mid
}

// decimals returns the number of fractional digits in f's shortest decimal
// representation.
func decimals(f float64) int {
	s := strconv.FormatFloat(math.Abs(f), 'f', -1, 64)
	if i := strings.IndexByte(s, '.'); i >= 0 {
		return len(s) - i - 1
	}
	return 0
}

// roundTo rounds f to d decimal places via its decimal string form.
func roundTo(f float64, d int) float64 {
	if d > 15 {
		return f
	}
	r, err := strconv.ParseFloat(strconv.FormatFloat(f, 'f', d, 64), 64)
	if err != nil {
		return f
	}
	return r
}
