package mock_test

import (
	"runtime"
	"testing"

	"github.com/vendormock/vendormock/specs"
)

// BenchmarkStoredPatientMemory reports the live heap one stored Open Dental patient costs:
// 20,000 patients created through the handler in one session, HeapAlloc after a GC before
// and after. Bytes are measured, not time, so run it once: -benchtime=1x.
func BenchmarkStoredPatientMemory(b *testing.B) {
	const n = 20000
	body := `{"LName":"Bench","FName":"Ann","Birthdate":"1980-01-31","Email":"ann@example.com"}`
	headers := with(odAuth, "Content-Type", "application/json", "X-Vendormock-Session", "memory")
	var perRecord float64
	for i := 0; i < b.N; i++ {
		srv := newServer(b, 1, specs.Bundled()...)
		call(b, srv, "POST", "/opendental/patients", body, headers) // compile lazily built state first
		before := liveHeap()
		for j := 0; j < n; j++ {
			rec := call(b, srv, "POST", "/opendental/patients", body, headers)
			if rec.Code != 201 && rec.Code != 200 {
				b.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
		}
		after := liveHeap()
		perRecord += float64(after-before) / n
		runtime.KeepAlive(srv)
	}
	b.ReportMetric(perRecord/float64(b.N), "bytes/record")
	b.ReportMetric(0, "ns/op")
}

func liveHeap() uint64 {
	var ms runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}
