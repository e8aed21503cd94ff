package main

import (
	"context"
	"io"
	"log/slog"
	"runtime"
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
	var cat, srv any
	for b.Loop() {
		c, s, err := cfg.build(context.Background(), sources, logger)
		if err != nil {
			b.Fatal(err)
		}
		cat, srv = c, s
	}
	// What the server keeps: the live heap with the last build's catalog and server alive
	// (the figure the memory targets of issue 7 start from, without the binary's pages).
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	b.ReportMetric(float64(m.HeapAlloc)/(1<<20), "live-MiB")
	runtime.KeepAlive(cat)
	runtime.KeepAlive(srv)
}
