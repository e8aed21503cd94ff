package state

import (
	"bytes"
	"fmt"
	"runtime"
	"strconv"
	"testing"

	"github.com/vendormock/vendormock/internal/jsonw"
)

// benchSession holds 1,000 patient-like users in the base of session "bench".
func benchSession(b *testing.B) *Session {
	b.Helper()
	s := newStore(b, Options{})
	recs := make([]Record, 1000)
	for i := range recs {
		recs[i] = Record{
			"firstName": fmt.Sprintf("Name%d", i%97),
			"lastName":  fmt.Sprintf("Family%d", i%89),
			"age":       int64(i % 90),
			"active":    i%3 != 0,
			"email":     fmt.Sprintf("user%d@example.com", i),
			"createdAt": fmt.Sprintf("2025-%02d-%02dT10:00:00Z", 1+i%12, 1+i%28),
			"address":   map[string]any{"city": fmt.Sprintf("City%d", i%10), "zip": "LS1 4AB"},
		}
	}
	if err := s.SetBase(map[string][]Record{"users": recs}); err != nil {
		b.Fatal(err)
	}
	return s.Session("bench")
}

func BenchmarkGet(b *testing.B) {
	x := benchSession(b)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, ok := x.Get("users", strconv.Itoa(1+i%1000)); !ok {
			b.Fatal("missing")
		}
		i++
	}
}

func BenchmarkCreate(b *testing.B) {
	x := benchSession(b)
	x.store.maxRecords = 1 << 40
	rec := Record{"firstName": "Ada", "lastName": "Lovelace", "age": int64(36)}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := x.Create("users", rec); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMerge(b *testing.B) {
	x := benchSession(b)
	patch := Record{"lastName": "Byron", "address": map[string]any{"zip": "W1"}}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := x.Merge("users", strconv.Itoa(1+i%1000), patch); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func BenchmarkList(b *testing.B) {
	for _, bc := range []struct {
		name string
		q    Query
	}{
		{"page", Query{Offset: 100, Limit: 20}},
		{"filter", Query{Filters: []Filter{{"active", Eq, []string{"true"}}}, Offset: 100, Limit: 20}},
		{"filter+sort", Query{Filters: []Filter{{"active", Eq, []string{"true"}}}, Sort: []SortKey{{Field: "lastName"}}, Limit: 20}},
		{"range+sort desc", Query{Filters: []Filter{{"createdAt", Gte, []string{"2025-06-01"}}}, Sort: []SortKey{{Field: "age", Desc: true}}, Offset: 40, Limit: 20}},
		{"search", Query{Search: "family1", Limit: 20}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			x := benchSession(b)
			b.ReportAllocs()
			for b.Loop() {
				if p := x.List("users", bc.q); len(p.Items) != 20 {
					b.Fatalf("%d items", len(p.Items))
				}
			}
		})
	}
}

func BenchmarkSession(b *testing.B) {
	s := benchSession(b).store
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		s.Session(strconv.Itoa(i))
		i++
	}
}

// BenchmarkFirstWrite is the copy-on-write cost: the first write of a new session to a
// collection of 1,000 records.
func BenchmarkFirstWrite(b *testing.B) {
	s := benchSession(b).store
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := s.Session(strconv.Itoa(i)).Create("users", Record{}); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func BenchmarkExport(b *testing.B) {
	x := benchSession(b)
	if _, err := x.Create("users", Record{}); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := x.store.Export(discard{}); err != nil {
			b.Fatal(err)
		}
	}
}

// patient is shaped like a stored Open Dental patient: 45 fields, mostly short strings, some
// integers and floats; about 1,090 bytes as JSON.
func patient(i int) Record {
	return Record{
		"Address": fmt.Sprintf("%d Motorway bury", 1000+i%9000), "Address2": "Ste 860", "AdmitDate": "2026-12-24",
		"BalTotal": float64(i%100000) / 100, "BillingType": "Standard Account", "Birthdate": "1980-01-31",
		"ChartNumber": fmt.Sprint(20000 + i), "City": "Arlington", "DateFirstVisit": "2026-11-22",
		"DateTStamp": "2026-11-01 12:00:00", "Email": "ann@example.com", "EmployerNum": int64(1235),
		"EstBalance": 2358.81, "FName": "Ann", "FamFinUrgNote": "Pt cancelled due to a work conflict; rescheduled.",
		"FeeSched": int64(1029), "Gender": "Unknown", "Guarantor": int64(208 + i), "HmPhone": "(971) 914-1690",
		"ImageFolder": "https://images.example.com/w84zsh1t13c0.jpg", "LName": "Bench", "Language": "en",
		"MedicaidID": "40429", "MiddleI": "P", "PatNum": int64(21 + i), "PatStatus": "Prospective", "Position": "Child",
		"PreferConfirmMethod": "WirelessPh", "PreferContactMethod": "WirelessPh", "PreferRecallMethod": "Mail",
		"Premed": "true", "PriProv": int64(557), "SSN": "397-37-3412", "SecDateEntry": "2026-11-01", "State": "MN",
		"SuperFamily": int64(407), "TxtMsgOk": "Unknown", "Ward": "Silly man", "WirelessPhone": "(512) 692-6680",
		"WkPhone": "(212) 922-8375", "Zip": "26188", "clinicAbbr": "Wide problem", "priProvAbbr": "Dizzying eye",
		"serverDateTime": "2026-08-13 14:27:00", "Title": "Mx",
	}
}

// storedBytesPerRecord creates n patients in one session and returns the live heap each
// one adds.
func storedBytesPerRecord(tb testing.TB, n int) float64 {
	s := newStore(tb, Options{MaxRecordsPerSession: n + 1})
	x := s.Session("memory")
	mustCreate(tb, x, "users", patient(0))
	before := liveHeap()
	for i := range n {
		mustCreate(tb, x, "users", patient(i))
	}
	after := liveHeap()
	runtime.KeepAlive(s)
	return float64(int64(after)-int64(before)) / float64(n)
}

func liveHeap() uint64 {
	var ms runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// BenchmarkStoredRecordMemory reports the live heap one stored patient costs (a map record
// cost about 3,460 bytes). Bytes are measured, not time: -benchtime=1x is enough.
func BenchmarkStoredRecordMemory(b *testing.B) {
	var sum float64
	for range b.N {
		sum += storedBytesPerRecord(b, 20000)
	}
	b.ReportMetric(sum/float64(b.N), "bytes/record")
	b.ReportMetric(0, "ns/op")
}

// TestStoredRecordMemory keeps the stored records compact, with a bound loose enough for
// any garbage collector noise: map records took 3,460 bytes, frozen ones about 750.
func TestStoredRecordMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("measures the heap over 20,000 records")
	}
	if got := storedBytesPerRecord(t, 20000); got > 1500 {
		t.Fatalf("a stored patient costs %.0f bytes of heap, want at most 1,500", got)
	} else {
		t.Logf("%.0f bytes per stored patient", got)
	}
}

// BenchmarkPageJSON encodes a page of 20 records onto five of their fields: from the
// compact rows (Rows, Row.AppendJSON) and from decoded maps (List, jsonw.AppendObject).
func BenchmarkPageJSON(b *testing.B) {
	fields := NewFields([]string{"address", "age", "email", "firstName", "lastName"})
	q := Query{Offset: 100, Limit: 20}
	b.Run("rows", func(b *testing.B) {
		x := benchSession(b)
		buf := make([]byte, 0, 8<<10)
		b.ReportAllocs()
		for b.Loop() {
			buf = buf[:0]
			for _, r := range x.Rows("users", q).Rows {
				var err error
				if buf, err = r.AppendJSON(buf, fields); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("maps", func(b *testing.B) {
		x := benchSession(b)
		buf := make([]byte, 0, 8<<10)
		b.ReportAllocs()
		for b.Loop() {
			buf = buf[:0]
			for _, rec := range x.List("users", q).Items {
				var err error
				if buf, err = jsonw.AppendObject(buf, rec, fields.Keys()); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}

// BenchmarkImport reads a state document of 10,000 stored patients (~11 MB). The document is
// read as a stream, so the heap holds one decoded record at a time besides the frozen ones.
func BenchmarkImport(b *testing.B) {
	src := newStore(b, Options{})
	x := src.Session("bench")
	for i := range 10000 {
		mustCreate(b, x, "users", patient(i))
	}
	var doc bytes.Buffer
	if err := src.Export(&doc); err != nil {
		b.Fatal(err)
	}
	dst := newStore(b, Options{})
	b.SetBytes(int64(doc.Len()))
	b.ReportAllocs()
	for b.Loop() {
		if err := dst.Import(bytes.NewReader(doc.Bytes())); err != nil {
			b.Fatal(err)
		}
	}
}
