package contract

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sort"
)

// Baseline is the set of accepted findings: only findings not in it fail a run.
type Baseline struct {
	// File is where the baseline was read from.
	File     string          `json:"-"`
	Version  int             `json:"version"`
	Findings []BaselineEntry `json:"findings"`
	keys     map[string]bool
}

// BaselineEntry is one accepted finding; Message is for the humans reviewing the file.
type BaselineEntry struct {
	Key     string `json:"key"`
	Message string `json:"message,omitempty"`
}

// LoadBaseline reads a baseline file; a missing file is an empty baseline (the first
// --update-baseline run creates it).
func LoadBaseline(file string) (*Baseline, error) {
	b := &Baseline{File: file, Version: 1}
	data, err := os.ReadFile(file)
	if errors.Is(err, fs.ErrNotExist) {
		b.index()
		return b, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read baseline: %w", err)
	}
	if err := json.Unmarshal(data, b); err != nil {
		return nil, fmt.Errorf("baseline %s: %w", file, err)
	}
	b.index()
	return b, nil
}

func (b *Baseline) index() {
	b.keys = map[string]bool{}
	for _, e := range b.Findings {
		b.keys[e.Key] = true
	}
}

// Accepts reports whether the baseline lists a finding key.
func (b *Baseline) Accepts(key string) bool { return b != nil && b.keys[key] }

// BaselineFrom builds the baseline that accepts every finding of a report.
func BaselineFrom(rep *Report) *Baseline {
	b := &Baseline{Version: 1, Findings: []BaselineEntry{}}
	seen := map[string]bool{}
	for _, f := range rep.Findings() {
		if seen[f.Key] {
			continue
		}
		seen[f.Key] = true
		b.Findings = append(b.Findings, BaselineEntry{Key: f.Key, Message: f.String()})
	}
	sort.Slice(b.Findings, func(i, j int) bool { return b.Findings[i].Key < b.Findings[j].Key })
	b.index()
	return b
}

// Write saves the baseline as indented JSON, sorted by key so diffs stay small.
func (b *Baseline) Write(file string) error {
	data, err := json.MarshalIndent(b, "", "  ")
	if err != nil {
		return fmt.Errorf("encode baseline: %w", err)
	}
	if err := os.WriteFile(file, append(data, '\n'), 0o644); err != nil {
		return fmt.Errorf("write baseline: %w", err)
	}
	return nil
}
