package fake

import (
	"fmt"
	"sort"
	"strings"
)

// Validate reports Options problems that New tolerates silently: hint values
// that are not generator names (see Names) and a negative MaxDepth.
func (o Options) Validate() error {
	var bad []string
	for k, v := range o.Hints {
		if !Known(v) {
			bad = append(bad, fmt.Sprintf("%s=%q", k, v))
		}
	}
	if len(bad) > 0 {
		sort.Strings(bad)
		return fmt.Errorf("fake options: unknown generator in hints: %s", strings.Join(bad, ", "))
	}
	if o.MaxDepth < 0 {
		return fmt.Errorf("fake options: MaxDepth %d is negative", o.MaxDepth)
	}
	return nil
}
