package mock

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/vendormock/vendormock/mock/state"
)

// tokensExtension is the name of the issued tokens in the state document:
//
//	"extensions": {"tokens": {"seq": 3, "tokens": [
//	  {"token": "eyJ...", "vendor": "heydonto-auth", "session": "t1", "subject": "123",
//	   "user": "dana@example.com", "device": "", "claims": {...},
//	   "expires": "2026-11-02T12:00:00Z", "revoked": false}, ...]}}
//
// Tokens are listed in issue order. A document without it (written before tokens were saved)
// loads with no tokens.
const tokensExtension = "tokens"

type tokenDocument struct {
	Seq    int           `json:"seq"`
	Tokens []tokenRecord `json:"tokens"`
}

type tokenRecord struct {
	Token   string         `json:"token"`
	Vendor  string         `json:"vendor"`
	Session string         `json:"session,omitempty"`
	Subject string         `json:"subject"`
	User    string         `json:"user,omitempty"`
	Device  string         `json:"device,omitempty"`
	Claims  map[string]any `json:"claims,omitempty"`
	Expires time.Time      `json:"expires"`
	Revoked bool           `json:"revoked,omitempty"`
}

var _ state.Extension = (*tokenRegistry)(nil)

// ExportState writes the issued tokens (nil when none was ever issued since the last full reset).
func (t *tokenRegistry) ExportState() (json.RawMessage, error) {
	t.mu.Lock()
	doc := tokenDocument{Seq: t.seq, Tokens: make([]tokenRecord, 0, len(t.byID))}
	for tok, it := range t.byID {
		doc.Tokens = append(doc.Tokens, tokenRecord{Token: tok, Vendor: it.vendor, Session: it.session, Subject: it.subject,
			User: it.user, Device: it.device, Claims: it.claims, Expires: it.expires.UTC(), Revoked: it.revoked})
	}
	order := make(map[string]int, len(t.byID))
	for tok, it := range t.byID {
		order[tok] = it.n
	}
	t.mu.Unlock()
	if doc.Seq == 0 && len(doc.Tokens) == 0 {
		return nil, nil
	}
	sort.Slice(doc.Tokens, func(i, j int) bool {
		a, b := order[doc.Tokens[i].Token], order[doc.Tokens[j].Token]
		if a != b {
			return a < b
		}
		return doc.Tokens[i].Token < doc.Tokens[j].Token
	})
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("tokens: %w", err)
	}
	return buf.Bytes(), nil
}

// PrepareImport checks the tokens of a state document; nil (an older document) means none.
func (t *tokenRegistry) PrepareImport(raw json.RawMessage) (func(), error) {
	var doc tokenDocument
	if raw != nil {
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&doc); err != nil {
			return nil, fmt.Errorf("tokens: %v: %w", err, state.ErrInvalid)
		}
	}
	if doc.Seq < 0 {
		return nil, fmt.Errorf("tokens: seq %d: must not be negative: %w", doc.Seq, state.ErrInvalid)
	}
	byID := make(map[string]*issued, len(doc.Tokens))
	for i, r := range doc.Tokens {
		var err error
		switch {
		case r.Token == "":
			err = errors.New("empty token")
		case r.Vendor == "":
			err = errors.New("empty vendor")
		case r.Expires.IsZero():
			err = errors.New("no expiry")
		case byID[r.Token] != nil:
			err = errors.New("listed twice")
		}
		if err != nil {
			return nil, fmt.Errorf("tokens: token %d: %v: %w", i, err, state.ErrInvalid)
		}
		byID[r.Token] = &issued{vendor: r.Vendor, session: r.Session, subject: r.Subject, user: r.User, device: r.Device,
			claims: r.Claims, expires: r.Expires, revoked: r.Revoked, n: i + 1}
	}
	seq := max(doc.Seq, len(doc.Tokens))
	return func() {
		t.mu.Lock()
		defer t.mu.Unlock()
		t.byID, t.seq = byID, seq
	}, nil
}

// ResetState forgets the tokens issued in a session (logins that sent its
// X-Vendormock-Session), or every token when all is set.
func (t *tokenRegistry) ResetState(session string, all bool) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if all {
		changed := len(t.byID) > 0 || t.seq > 0
		t.byID, t.seq = map[string]*issued{}, 0
		return changed
	}
	changed := false
	for tok, it := range t.byID {
		if it.session == session {
			delete(t.byID, tok)
			changed = true
		}
	}
	return changed
}
