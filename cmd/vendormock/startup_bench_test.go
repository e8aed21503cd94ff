package main

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"github.com/spf13/pflag"
)

// BenchmarkStartup measures what `vendormock serve` does before it listens, with the
// default flags: load the bundled descriptions, scenarios and fixtures, build and seed the
// server. scripts/bench.sh measures the same from outside (process start to first answer).
func BenchmarkStartup(b *testing.B) {
	var cfg serveConfig
	fs := pflag.NewFlagSet("serve", pflag.ContinueOnError)
	cfg.register(fs)
	if err := fs.Parse(nil); err != nil {
		b.Fatal(err)
	}
	sources, err := cfg.sources()
	if err != nil {
		b.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := cfg.build(context.Background(), sources, logger); err != nil {
			b.Fatal(err)
		}
	}
}
