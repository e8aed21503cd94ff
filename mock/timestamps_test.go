package mock_test

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/vendormock/vendormock/internal/reqgen"
	"github.com/vendormock/vendormock/mock"
	"github.com/vendormock/vendormock/mock/fake"
	"github.com/vendormock/vendormock/mock/state"
	"github.com/vendormock/vendormock/specs"
)

type stampedResource struct {
	Vendor, Name, IDField        string
	Singleton                    bool
	Operations                   map[string]string
	SampleIDs                    []string
	CreatedFields, UpdatedFields []string
}

// stampTime reads a stored timestamp: RFC 3339 (any precision), Open Dental's
// "2006-01-02 15:04:05", a date (dateOnly), or seconds since the epoch.
func stampTime(v any) (tm time.Time, dateOnly bool, err error) {
	switch x := v.(type) {
	case int64:
		return time.Unix(x, 0).UTC(), false, nil
	case string:
		for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05"} {
			if tm, err := time.Parse(layout, x); err == nil {
				return tm, false, nil
			}
		}
		if tm, err := time.Parse("2006-01-02", x); err == nil {
			return tm, true, nil
		}
	}
	return time.Time{}, false, fmt.Errorf("%#v is not a timestamp", v)
}

// checkStamp says how a stored timestamp differs from want ("" when it is want).
func checkStamp(rec state.Record, field string, want time.Time) string {
	v, ok := rec[field]
	if !ok {
		return fmt.Sprintf("%s is missing", field)
	}
	got, dateOnly, err := stampTime(v)
	if err != nil {
		return field + ": " + err.Error()
	}
	if dateOnly {
		want = want.Truncate(24 * time.Hour)
	}
	if !got.Equal(want) {
		return fmt.Sprintf("%s = %v, want %s", field, v, want.Format(time.RFC3339))
	}
	return ""
}

// sendWithout sends a valid request for op with the named fields left out of its JSON body
// (the client does not send server-owned fields), unless the body requires them.
func sendWithout(t *testing.T, srv *mock.Server, b *reqgen.Builder, op *specs.Operation, session string, overrides map[string]string, drop []string) int {
	t.Helper()
	r, err := b.Build(op, reqgen.Credentials{}, overrides)
	if err != nil {
		t.Fatal(err)
	}
	var body map[string]any
	if json.Unmarshal(r.Body, &body) == nil && body != nil {
		var required []string
		if rb := op.Op.RequestBody; rb != nil && rb.Content != nil {
			if mt, ok := rb.Content.Get("application/json"); ok && mt.Schema != nil && mt.Schema.Schema() != nil {
				required = mt.Schema.Schema().Required
			}
		}
		for _, f := range drop {
			if !slices.Contains(required, f) {
				delete(body, f)
			}
		}
		if r.Body, err = json.Marshal(body); err != nil {
			t.Fatal(err)
		}
	}
	return send(t, srv, b, op, session, overrides, r.Body).Code
}

// TestIssue4_ServerTimestamps: for every bundled resource with server-owned timestamps
// (createdAt/updatedAt, created_at/updated_at, create_timestamp, Open Dental's SecDateTEntry,
// SecDateEntry, DateTStamp, SecDateTEdit...), a create sets all of them to the server's clock and
// an update or replace moves the updated ones forward to the clock and keeps the created ones.
func TestIssue4_ServerTimestamps(t *testing.T) {
	cat := loadCatalog(t, specs.Bundled()...)
	clock := newFakeClock()
	srv, err := mock.NewServer(mock.Options{Catalog: cat, Logger: slog.New(slog.DiscardHandler), Seed: 1, Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	b := reqgen.New(fake.New(fake.Options{Seed: 5, Now: fixedNow}))
	rec := call(t, srv, "GET", "/__admin/resources", "", nil)
	var out struct{ Resources []stampedResource }
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	// The inference itself, on fields each vendor documents (so the walk below cannot pass by
	// finding nothing).
	want := map[string][2][]string{
		"heydonto-auth/users":                          {{"createdAt"}, {"updatedAt"}},
		"heydonto/brands":                              {{"createdAt"}, {"updatedAt"}},
		"herohealth/v1/invoicing/invoices":             {{"created_at"}, {"updated_at"}},
		"kana-practice/apis/therapist_session_records": {{"create_timestamp"}, {"update_timestamp"}},
		"opendental/patients":                          {{"SecDateEntry"}, {"DateTStamp"}},
		"opendental/appointments":                      {{"SecDateTEntry"}, {"DateTStamp"}},
		"opendental/commlogs":                          {{"DateTEntry"}, {"DateTStamp"}},
	}
	walked := map[string]int{}
	for _, res := range out.Resources {
		key := res.Vendor + res.Name
		if w, ok := want[key]; ok {
			if !slices.Equal(res.CreatedFields, w[0]) || !slices.Equal(res.UpdatedFields, w[1]) {
				t.Errorf("%s: timestamps %v / %v, want %v / %v", key, res.CreatedFields, res.UpdatedFields, w[0], w[1])
			}
			delete(want, key)
		}
		stamps := append(append([]string(nil), res.CreatedFields...), res.UpdatedFields...)
		if len(stamps) == 0 {
			continue
		}
		ops := res.Operations
		writeRole := "update"
		if ops[writeRole] == "" {
			writeRole = "replace"
		}
		if ops["create"] == "" && ops[writeRole] == "" {
			continue
		}
		walked[res.Vendor]++
		t.Run(key, func(t *testing.T) {
			session := "ts-" + key
			t.Cleanup(func() { call(t, srv, "POST", "/__admin/reset?session="+session, "", nil) })
			sess := srv.Store().Session(session)
			op := func(role string) *specs.Operation {
				o, err := cat.Operation(res.Vendor, ops[role])
				if err != nil {
					t.Fatal(err)
				}
				return o
			}
			get := func(id string) state.Record {
				if res.Singleton {
					r, _ := sess.Singleton(key)
					return r
				}
				r, ok := sess.Get(key, id)
				if !ok {
					t.Fatalf("record %s is not stored", id)
				}
				return r
			}
			created := clock.Now()
			id := ""
			var before state.Record
			switch {
			case ops["create"] != "":
				old := map[string]bool{}
				for _, r := range sess.List(key, state.Query{}).Items {
					k, _ := state.IDKey(r[res.IDField])
					old[k] = true
				}
				if code := sendWithout(t, srv, b, op("create"), session, seededIDs(op("create"), ""), stamps); code < 200 || code > 299 {
					t.Fatalf("create: %d", code)
				}
				for _, r := range sess.List(key, state.Query{}).Items {
					if k, _ := state.IDKey(r[res.IDField]); !old[k] {
						id = k
					}
				}
				if id == "" {
					t.Fatal("create stored no new record")
				}
				before = get(id)
				for _, f := range stamps {
					if msg := checkStamp(before, f, created); msg != "" {
						t.Errorf("after create: %s", msg)
					}
				}
			case res.Singleton:
				before = get("")
			default:
				id = res.SampleIDs[0]
				before = get(id)
			}
			if ops[writeRole] == "" {
				return
			}
			clock.Advance(26*time.Hour + time.Minute + time.Second)
			t.Cleanup(func() { clock.Advance(-(26*time.Hour + time.Minute + time.Second)) })
			overrides := seededIDs(op(writeRole), "")
			if !res.Singleton {
				overrides = with(overrides, itemParam(op(writeRole)), id)
			}
			if code := sendWithout(t, srv, b, op(writeRole), session, overrides, stamps); code < 200 || code > 299 {
				t.Fatalf("%s: %d", writeRole, code)
			}
			after := get(id)
			for _, f := range res.UpdatedFields {
				if msg := checkStamp(after, f, clock.Now()); msg != "" {
					t.Errorf("after %s: %s", writeRole, msg)
				}
			}
			for _, f := range res.CreatedFields {
				if fmt.Sprint(after[f]) != fmt.Sprint(before[f]) {
					t.Errorf("after %s: %s = %v, want it kept at %v", writeRole, f, after[f], before[f])
				}
			}
		})
	}
	for key := range want {
		t.Errorf("no resource %s", key)
	}
	for _, v := range []string{"heydonto", "heydonto-auth", "herohealth", "opendental"} {
		if walked[v] == 0 {
			t.Errorf("no timestamped resource of %s walked", v)
		}
	}
}

// TestCreatedUserAnswersCreationTime: a HeyDonto Auth user created through the API answers
// createdAt/updatedAt of the creation, written like the vendor's examples (milliseconds, Z);
// an update moves updatedAt only.
func TestCreatedUserAnswersCreationTime(t *testing.T) {
	clock := newFakeClock()
	srv, err := mock.NewServer(mock.Options{Catalog: loadCatalog(t, specs.Bundled()...), Logger: slog.New(slog.DiscardHandler), Seed: 1, Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	h := with(bearer, "Content-Type", "application/json")
	rec := call(t, srv, "POST", "/heydonto-auth/users",
		`{"email":"ann@example.com","firstName":"Ann","lastName":"Lee","role":"SITE_USER","clientAccountId":[1],"isEnabled":true,"createdAt":"1999-01-01T00:00:00.000Z"}`, h)
	if rec.Code < 200 || rec.Code > 299 {
		t.Fatalf("create: %d %s", rec.Code, rec.Body)
	}
	user := decodeJSON(t, rec)
	if user["createdAt"] != "2026-11-01T12:00:00.000Z" || user["updatedAt"] != "2026-11-01T12:00:00.000Z" {
		t.Fatalf("created user %v: want createdAt and updatedAt 2026-11-01T12:00:00.000Z (a client cannot set the read-only createdAt)", user)
	}
	clock.Advance(90 * time.Minute)
	id := fmt.Sprint(user["id"])
	rec = call(t, srv, "PUT", "/heydonto-auth/users/"+id, `{"firstName":"Anna"}`, h)
	if rec.Code != 200 {
		t.Fatalf("update: %d %s", rec.Code, rec.Body)
	}
	rec = call(t, srv, "GET", "/heydonto-auth/users/"+id, "", bearer)
	got := decodeJSON(t, rec)
	if got["firstName"] != "Anna" || got["createdAt"] != "2026-11-01T12:00:00.000Z" || got["updatedAt"] != "2026-11-01T13:30:00.000Z" {
		t.Fatalf("after update %v: want createdAt kept and updatedAt 2026-11-01T13:30:00.000Z", got)
	}
}
