package mock_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/vendormock/vendormock/fixtures"
	"github.com/vendormock/vendormock/mock"
	"github.com/vendormock/vendormock/specs"
)

// The sample keys of fixtures/herohealth/credentials.json and fixtures/opendental/credentials.json.
const (
	heroSampleKey = "vm-herohealth-sample-key"
	odSampleKey   = "ODFHIR vm-sample-developer-key/vm-sample-customer-key"
)

func bundledCredentials(t *testing.T) []fixtures.Credentials {
	t.Helper()
	creds, err := fixtures.LoadCredentials([]fixtures.Source{fixtures.Bundled()})
	if err != nil {
		t.Fatal(err)
	}
	return creds
}

// get sends a GET through a real HTTP server and returns the status and body.
func get(t *testing.T, base, path string, headers map[string]string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, base+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

// TestStrictAuthBundledKeys: from a fresh clone, strict mode accepts the bundled sample keys of
// the apiKey vendors, refuses any other key with the vendor's own 401 body, and keys open only
// their own vendor; permissive mode is unaffected.
func TestStrictAuthBundledKeys(t *testing.T) {
	creds := append(bundledCredentials(t), keysFor("heydonto", "hd-static-token"))
	cat := loadCatalog(t, specs.Bundled()...)
	newHTTP := func(strict bool) string {
		srv, err := mock.NewServer(mock.Options{Catalog: cat, Logger: slog.New(slog.DiscardHandler), Seed: 1, Now: fixedNow,
			AuthStrict: strict, Credentials: creds})
		if err != nil {
			t.Fatal(err)
		}
		hs := httptest.NewServer(srv)
		t.Cleanup(hs.Close)
		return hs.URL
	}
	strict, permissive := newHTTP(true), newHTTP(false)
	hero := func(key string) map[string]string {
		return map[string]string{"x-api-key": key, "x-practice-group-id": "1"}
	}
	od := func(v string) map[string]string { return map[string]string{"Authorization": v} }
	heroAdmins, odPatients, brands := "/herohealth/v1/admins", "/opendental/patients", "/heydonto/brands?page=0&pageSize=2"
	// The vendors' documented 401 shapes: Hero Health {error, statusCode, message}, Open Dental a
	// bare JSON string; the message says why the key was refused.
	hero401 := `{"error":true,"statusCode":401,"message":"the API key in apiKeyAuth is not one of the keys configured for herohealth (fixtures/herohealth/credentials.json, --api-key)"}`
	od401 := `"the API key in ODFHIR is not one of the keys configured for opendental (fixtures/opendental/credentials.json, --api-key)"`
	for _, tc := range []struct {
		name, path string
		headers    map[string]string
		strict     int
		body       string // the exact 401 body in strict mode, when set
	}{
		{"hero listed key", heroAdmins, hero(heroSampleKey), 200, ""},
		{"hero second listed key", heroAdmins, hero("vm-herohealth-second-key"), 200, ""},
		{"hero unknown key", heroAdmins, hero("not-a-listed-key"), 401, hero401},
		{"hero key of another vendor", heroAdmins, hero(odSampleKey), 401, hero401},
		{"hero heydonto token as key", heroAdmins, hero("hd-static-token"), 401, hero401},
		{"od listed key", odPatients, od(odSampleKey), 200, ""},
		{"od second office", odPatients, od("ODFHIR vm-sample-developer-key/vm-second-customer-key"), 200, ""},
		{"od unknown customer key", odPatients, od("ODFHIR vm-sample-developer-key/someone-elses-office"), 401, od401},
		{"od parts without ODFHIR", odPatients, od("vm-sample-developer-key/vm-sample-customer-key"), 401, od401},
		{"od hero key", odPatients, od(heroSampleKey), 401, od401},
		{"od heydonto token", odPatients, od("hd-static-token"), 401, od401},
		{"heydonto listed bearer", brands, map[string]string{"Authorization": "Bearer hd-static-token"}, 200, ""},
		{"heydonto hero key as bearer", brands, map[string]string{"Authorization": "Bearer " + heroSampleKey}, 401, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, body := get(t, strict, tc.path, tc.headers)
			if code != tc.strict {
				t.Fatalf("strict: %d, want %d: %s", code, tc.strict, body)
			}
			if tc.body != "" {
				var got, want any
				if json.Unmarshal([]byte(body), &got) != nil || json.Unmarshal([]byte(tc.body), &want) != nil || !jsonEqual(got, want) {
					t.Errorf("strict 401 body %s, want the vendor's %s", body, tc.body)
				}
			}
			if code, body := get(t, permissive, tc.path, tc.headers); code != 200 {
				t.Errorf("permissive: %d, want 200: %s", code, body)
			}
		})
	}
}

func jsonEqual(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

// TestIssuedTokensStayWithTheirVendor: a token a HeyDonto login issued opens the HeyDonto APIs
// (its family) in strict mode, never another vendor's apiKey.
func TestIssuedTokensStayWithTheirVendor(t *testing.T) {
	srv, _ := newAuthServer(t, true)
	tok := login(t, srv, "dana@example.com")
	if rec := call(t, srv, "GET", "/heydonto/brands", "", map[string]string{"Authorization": "Bearer " + tok}); rec.Code != 200 {
		t.Fatalf("heydonto-auth token on /heydonto: %d %s", rec.Code, rec.Body)
	}
	rec := call(t, srv, "GET", "/herohealth/v1/admins", "", map[string]string{"x-api-key": tok, "x-practice-group-id": "1"})
	if rec.Code != 401 {
		t.Fatalf("heydonto-auth token as a Hero Health key: %d %s", rec.Code, rec.Body)
	}
}

func TestCredentialsCheckedAtStart(t *testing.T) {
	cat := loadCatalog(t, specs.Bundled()...)
	for _, tc := range []struct {
		name  string
		creds fixtures.Credentials
		want  []string // substrings of the error ("" entries: none expected)
	}{
		{"unknown vendor", fixtures.Credentials{Path: "my/nope/credentials.json", Vendor: "nope", Keys: []fixtures.Key{{Key: "k"}}},
			[]string{"fixtures my/nope/credentials.json", `no vendor "nope"`}},
		{"unknown vendor, optional", fixtures.Credentials{Path: "x", Vendor: "nope", Keys: []fixtures.Key{{Key: "k"}}, Optional: true}, nil},
		{"unknown scheme", fixtures.Credentials{Path: "my/opendental/credentials.json", Vendor: "opendental",
			Keys: []fixtures.Key{{Key: "a"}, {Key: "ODFHIR a/b", Scheme: "bearer", Note: "front desk"}}},
			[]string{"my/opendental/credentials.json", "keys[1] (front desk)", `scheme "bearer" is not a security scheme of opendental`, "ODFHIR"}},
		{"basic is not checked", fixtures.Credentials{Path: "my/kana-users/credentials.json", Vendor: "kana-users",
			Keys: []fixtures.Key{{Key: "u:p", Scheme: "basicAuth"}}},
			[]string{"keys[0]", `"basicAuth"`, "not checked in strict mode"}},
		{"flag for a cookie scheme", fixtures.Credentials{Path: "--api-key", Vendor: "kana-users",
			Keys: []fixtures.Key{{Key: "abc", Scheme: "cookieAuth"}}}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := mock.NewServer(mock.Options{Catalog: cat, Logger: slog.New(slog.DiscardHandler), Credentials: []fixtures.Credentials{tc.creds}})
			if len(tc.want) == 0 {
				if err != nil {
					t.Fatalf("err = %v, want none", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("no error, want %q", tc.want)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("err = %v, want it to name %q", err, w)
				}
			}
		})
	}
}

// TestStrictCookieKey: a key listed for an apiKey-in-cookie scheme (Kana's sessionid) opens
// that vendor in strict mode; another session id does not.
func TestStrictCookieKey(t *testing.T) {
	srv, _ := newAuthServer(t, true, fixtures.Credentials{Path: "--api-key", Vendor: "kana-users",
		Keys: []fixtures.Key{{Key: "sess-123", Scheme: "cookieAuth"}}})
	for _, tc := range []struct {
		cookie string
		want   int
	}{{"sessionid=sess-123", 200}, {"sessionid=other", 403}} {
		rec := call(t, srv, "GET", "/kana-users/apis/user/3/", "", map[string]string{"Cookie": tc.cookie})
		if rec.Code != tc.want {
			t.Errorf("cookie %s: %d, want %d: %s", tc.cookie, rec.Code, tc.want, rec.Body)
		}
	}
}
