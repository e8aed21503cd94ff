package scenarios

import (
	"errors"
	"fmt"
	"strings"
)

// ErrUnknownScenario is returned for a scenario name no loaded file defines.
var ErrUnknownScenario = errors.New("unknown scenario")

// Problem is one defect of a scenario file.
type Problem struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Message string `json:"message"`
}

func (p Problem) String() string {
	if p.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Message)
	}
	return p.File + ": " + p.Message
}

// Error lists every problem found in scenario files.
type Error struct{ Problems []Problem }

func (e *Error) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = p.String()
	}
	return "scenarios: " + strings.Join(parts, "; ")
}

// Warning is a scenario that loads but deserves a look, such as a status the description does
// not document (vendors do answer those).
type Warning = Problem
