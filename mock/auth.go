package mock

import (
	"encoding/json"
	"hash/fnv"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/pb33f/libopenapi/datamodel/high/base"

	"github.com/vendormock/vendormock/mock/fake"
)

// authKind classifies an operation's part in an auth flow.
type authKind int

const (
	authNone authKind = iota
	authLogin
	authLogout
	authCurrentUser
	authDeactivate
)

// Auth flow operations are recognised by path suffix (and, for logins, a token field in the
// success body). One place on purpose: a sidecar override per operation can be added here later.
var (
	loginSuffixes       = []string{"/login", "/access_token", "/token", "/synchronizer/activate", "/synchronizer/refresh"}
	logoutSuffixes      = []string{"/logout"}
	deactivateSuffixes  = []string{"/synchronizer/deactivate"}
	currentUserSuffixes = []string{"/auth/user", "/users/current", "/users/me", "/me"}
	// accessTokenFields and refreshTokenFields are the body properties a login fills with issued tokens.
	accessTokenFields  = map[string]bool{"token": true, "accesstoken": true, "access_token": true, "jwt": true, "idtoken": true, "id_token": true}
	refreshTokenFields = map[string]bool{"refreshtoken": true, "refresh_token": true}
	expiresFields      = map[string]bool{"expiresin": true, "expires_in": true}
	// validFor reads a documented token lifetime ("valid for 24 hours", "valid for 30 minutes").
	validFor = regexp.MustCompile(`(?i)valid for (\d+) (hour|minute|second|day)s?`)
)

const (
	defaultTokenLife   = 24 * time.Hour
	refreshTokenLife   = 30 * 24 * time.Hour
	jwtIssuer          = "vendormock"
	bearerPrefixLength = len("Bearer ")
)

// classifyAuth decides at start whether an operation logs in, logs out or answers the current user.
func (o *opRuntime) classifyAuth() authKind {
	path := strings.TrimSuffix(o.op.Path, "/")
	method := strings.ToUpper(o.op.Method)
	switch {
	case method == http.MethodPost && hasSuffix(path, deactivateSuffixes):
		return authDeactivate
	case method == http.MethodPost && hasSuffix(path, loginSuffixes) && o.loginSchema() != nil:
		return authLogin
	case method == http.MethodPost && hasSuffix(path, logoutSuffixes):
		return authLogout
	case method == http.MethodGet && hasSuffix(path, currentUserSuffixes):
		return authCurrentUser
	}
	return authNone
}

func hasSuffix(path string, suffixes []string) bool {
	for _, s := range suffixes {
		if strings.HasSuffix(path, s) {
			return true
		}
	}
	return false
}

// loginSchema is the JSON success body schema when it has a token field (nil otherwise).
func (o *opRuntime) loginSchema() *base.Schema {
	p := o.plan(o.success)
	if p == nil {
		return nil
	}
	m := p.jsonMedia()
	if m == nil || m.schema == nil || m.schema.Properties == nil {
		return nil
	}
	for name, ps := range m.schema.Properties.FromOldest() {
		key := strings.ToLower(name)
		if (accessTokenFields[key] || refreshTokenFields[key]) && isStringType(o.vr.v.Schema(ps)) {
			return m.schema
		}
	}
	return nil
}

// bearerToken is the token of an "Authorization: Bearer ..." header ("" when absent).
func bearerToken(r *http.Request) string {
	h := r.Header.Get("Authorization")
	if len(h) <= bearerPrefixLength || !strings.EqualFold(h[:bearerPrefixLength], "Bearer ") {
		return ""
	}
	return strings.TrimSpace(h[bearerPrefixLength:])
}

// authCheck enforces --auth strict: every alternative's bearer tokens must be issued, live and not
// revoked, and its API keys listed in Options.APIKeys (or issued). It answers the vendor's 401 and
// reports false when no alternative passes.
func (o *opRuntime) authCheck(w http.ResponseWriter, req *request) bool {
	if !o.s.opts.AuthStrict || len(o.security) == 0 {
		return true
	}
	why := ""
	for _, alt := range o.security {
		if !alt.present(req.r) {
			continue // an alternative the request does not use (basic when it sent a cookie) proves nothing
		}
		reason := o.strictAlternative(alt, req.r)
		if reason == "" {
			return true
		}
		if why == "" {
			why = reason
		}
	}
	o.refuse(w, req, why)
	return false
}

func (o *opRuntime) strictAlternative(alt alternative, r *http.Request) string {
	keyed := false // an apiKey alternative passes when one of its keys is known (companion headers are ids)
	var keyReason string
	for _, c := range alt {
		if c.value == nil {
			continue
		}
		v := c.value(r)
		if v == "" {
			return "missing credential for " + c.scheme
		}
		if c.apiKey {
			if keyed {
				continue
			}
			if o.vr.knownKey(c.scheme, v) {
				keyed = true
			} else if _, why := o.token(v); why == "" {
				keyed = true
			} else if keyReason == "" {
				keyReason = "the API key in " + c.scheme + " is not one of the keys configured for " + o.vr.v.Name +
					" (fixtures/" + o.vr.v.Name + "/credentials.json, --api-key)"
			}
			continue
		}
		if o.vr.knownKey(c.scheme, v) {
			continue
		}
		if _, why := o.token(v); why != "" {
			return c.scheme + ": " + why
		}
	}
	if !keyed && keyReason != "" {
		return keyReason
	}
	return ""
}

// token checks a presented token: issued by this server for this vendor's family, live and not
// revoked ("" when it is acceptable).
func (o *opRuntime) token(v string) (*issued, string) {
	it, why := o.s.tokens.check(v)
	if it != nil && !o.vr.acceptsToken(it) {
		return it, "the token was issued by " + it.vendor + ", not for " + o.vr.v.Name
	}
	return it, why
}

// authAnswer runs the auth flows after validation: logins issue tokens, logouts revoke the
// presented one (and answer as documented), current-user reads answer for the token's user. It
// reports true when it answered.
func (o *opRuntime) authAnswer(w http.ResponseWriter, req *request) bool {
	if o.auth == authNone || req.prefer.code != 0 || req.prefer.example != "" {
		return false
	}
	switch o.auth {
	case authLogout:
		o.revokePresented(req.r)
		o.setAuthCookie(w, "", 0)
		return false
	case authDeactivate:
		var in map[string]any
		_ = json.Unmarshal(req.body, &in) // validated already; no device means nothing to revoke
		o.s.tokens.revokeDevice(tokenFamily(o.vr.v.Name), stringField(in, "deviceId", "device_id"))
		return false
	case authLogin:
		return o.login(w, req)
	case authCurrentUser:
		tok := bearerToken(req.r)
		if tok == "" {
			return false
		}
		it, why := o.token(tok)
		if it == nil || why != "" {
			return false
		}
		return o.writeAuthBody(w, req, o.userBody(it.user, it.subject, it.claims))
	}
	return false
}

// login answers the documented success body with the token fields set to issued tokens.
func (o *opRuntime) login(w http.ResponseWriter, req *request) bool {
	schema := o.loginSchema()
	if schema == nil {
		return false
	}
	var in map[string]any
	_ = json.Unmarshal(req.body, &in) // a login without a JSON object body logs in "someone"
	if o.s.opts.AuthStrict {
		if rt := stringField(in, "refreshToken", "refresh_token"); rt != "" {
			if _, why := o.token(rt); why != "" {
				o.refuse(w, req, "refresh token: "+why)
				return true
			}
		}
	}
	user, subject, claims := o.loginSubject(req, in)
	g := grant{vendor: o.vr.v.Name, session: req.r.Header.Get(SessionHeader), subject: subject, user: user, claims: claims,
		device: stringField(in, "deviceId", "device_id")}
	if rt := stringField(in, "refreshToken", "refresh_token"); rt != "" {
		if it, why := o.s.tokens.check(rt); why == "" && it.vendor == o.vr.v.Name {
			// A refresh keeps the identity (and device), rotates the pair.
			g.user, g.subject, g.claims = it.user, it.subject, it.claims
			if it.device != "" {
				g.device = it.device
			}
			o.s.tokens.revoke(rt)
		}
	}
	life := o.tokenLife()
	jwt := o.issuesJWT()
	body, _ := o.vr.gen.Generate(schema, o.genKey(req, o.success)+"#login", fake.Response).(map[string]any)
	if body == nil {
		body = map[string]any{}
	}
	var access string
	for name, ps := range schema.Properties.FromOldest() {
		key := strings.ToLower(name)
		ps2 := o.vr.v.Schema(ps)
		switch {
		case accessTokenFields[key] && isStringType(ps2):
			if access == "" {
				access, _ = o.s.tokens.issue(g, life, jwt)
			}
			body[name] = access
		case refreshTokenFields[key] && isStringType(ps2):
			tok, _ := o.s.tokens.issue(g, refreshTokenLife, false)
			body[name] = tok
		case expiresFields[key] && (hasType(ps2, "integer") || hasType(ps2, "number")):
			body[name] = int64(life / time.Second)
		}
	}
	return o.writeAuthBody(w, req, body)
}

// loginSubject names who logs in: the body's e-mail (or user name, device id), else the practice
// group or a fixed user. It returns the current-user record key, the subject (the user's id) and
// the claims (email, role) a JWT carries.
func (o *opRuntime) loginSubject(req *request, in map[string]any) (string, string, map[string]any) {
	email := stringField(in, "email", "username", "userName")
	who := email
	if who == "" {
		who = stringField(in, "deviceId", "device_id", "clientId", "client_id")
	}
	if who == "" {
		for _, h := range []string{"x-practice-group-id", "x-api-key"} {
			if v := req.r.Header.Get(h); v != "" {
				who = v
				break
			}
		}
	}
	if who == "" {
		who = "user@example.com"
	}
	claims := map[string]any{}
	if email != "" {
		claims["email"] = email
	}
	subject := who
	if user := o.userBody(who, "", claims); user != nil {
		if id, ok := user["id"]; ok && id != nil {
			subject = scalarString(id)
		}
		if role, ok := user["role"].(string); ok {
			claims["role"] = role
		}
		if e, ok := user["email"].(string); ok && email == "" {
			claims["email"] = e
		}
	} else if email != "" {
		subject = strconv.FormatUint(uint64(hash32(email)%900000+100000), 10)
	}
	return who, subject, claims
}

// userBody generates the vendor's current-user record for a key, with the claims' e-mail and role
// and the subject's id overlaid (nil when the vendor documents no current-user read).
func (o *opRuntime) userBody(key, subject string, claims map[string]any) map[string]any {
	for _, u := range o.vr.ops {
		if u.auth != authCurrentUser {
			continue
		}
		p := u.plan(u.success)
		if p == nil {
			continue
		}
		m := p.jsonMedia()
		if m == nil {
			continue
		}
		rec, _ := o.vr.gen.Generate(m.schema, o.vr.v.Name+"/auth-user/"+key, fake.Response).(map[string]any)
		if rec == nil || m.schema.Properties == nil {
			return rec
		}
		for name, ps := range m.schema.Properties.FromOldest() {
			s := o.vr.v.Schema(ps)
			switch strings.ToLower(name) {
			case "email":
				if e, ok := claims["email"].(string); ok && isStringType(s) {
					rec[name] = e
				}
			case "id":
				if n, err := strconv.ParseInt(subject, 10, 64); err == nil && hasType(s, "integer") {
					rec[name] = n
				} else if subject != "" && isStringType(s) {
					rec[name] = subject
				}
			case "role":
				if r, ok := claims["role"].(string); ok && isStringType(s) {
					rec[name] = r
				}
			}
		}
		return rec
	}
	return nil
}

func (o *opRuntime) writeAuthBody(w http.ResponseWriter, req *request, body map[string]any) bool {
	if body == nil {
		return false
	}
	p := o.plan(o.success)
	if p == nil || p.jsonMedia() == nil {
		return false
	}
	b, err := marshal(body)
	if err != nil {
		return false
	}
	o.writeHeaders(w, p, o.genKey(req, o.success))
	if tok := stringField(body, "token", "accessToken", "access_token"); tok != "" && o.auth == authLogin {
		o.setAuthCookie(w, tok, o.tokenLife())
	}
	writeBody(w, req.r, o.success, p.jsonMedia().contentType, b)
	return true
}

// authCookieName is the cookie a login sets and a logout clears for browser clients, where the
// login documents a Set-Cookie header (HeyDonto documents the cookie, not its name).
const authCookieName = "access_token"

// setAuthCookie sets the auth cookie to an issued token (or clears it, for tok ""), when the
// operation's success answer documents Set-Cookie.
func (o *opRuntime) setAuthCookie(w http.ResponseWriter, tok string, life time.Duration) {
	if !o.documentsSetCookie() {
		return
	}
	c := &http.Cookie{Name: authCookieName, Value: tok, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode,
		MaxAge: int(life / time.Second)}
	if tok == "" {
		c.MaxAge = -1 // Max-Age=0: delete it now
	}
	w.Header().Set("Set-Cookie", c.String())
}

func (o *opRuntime) documentsSetCookie() bool {
	p := o.plan(o.success)
	if p == nil {
		return false
	}
	for _, h := range p.headers {
		if strings.EqualFold(h.name, "Set-Cookie") {
			return true
		}
	}
	return false
}

// revokePresented revokes the tokens a logout presents: the bearer token and any cookie
// holding a token issued for this vendor's family (the auth cookie of browser clients, whatever
// its name).
func (o *opRuntime) revokePresented(r *http.Request) {
	candidates := []string{bearerToken(r)}
	for _, c := range r.Cookies() {
		candidates = append(candidates, c.Value)
	}
	for _, v := range candidates {
		if v == "" {
			continue
		}
		if it, _ := o.s.tokens.check(v); it != nil && o.vr.acceptsToken(it) {
			o.s.tokens.revoke(v)
		}
	}
}

// tokenLife is the lifetime the description documents ("valid for 24 hours"), else 24 hours.
func (o *opRuntime) tokenLife() time.Duration {
	texts := []string{o.op.Op.Description, o.op.Op.Summary}
	if p := o.plan(o.success); p != nil {
		if m := p.jsonMedia(); m != nil && m.schema != nil {
			texts = append(texts, m.schema.Description)
		}
	}
	for _, t := range texts {
		if m := validFor.FindStringSubmatch(t); m != nil {
			n, _ := strconv.Atoi(m[1])
			unit := map[string]time.Duration{"hour": time.Hour, "minute": time.Minute, "second": time.Second, "day": 24 * time.Hour}[strings.ToLower(m[2])]
			if n > 0 {
				return time.Duration(n) * unit
			}
		}
	}
	return defaultTokenLife
}

// issuesJWT is true when the vendor documents its tokens as JWTs (bearerFormat, descriptions).
func (o *opRuntime) issuesJWT() bool {
	if strings.Contains(o.op.Op.Description, "JWT") {
		return true
	}
	if c := o.vr.v.Model.Components; c != nil && c.SecuritySchemes != nil {
		for _, ss := range c.SecuritySchemes.FromOldest() {
			if ss != nil && strings.EqualFold(ss.BearerFormat, "JWT") {
				return true
			}
		}
	}
	return false
}

func stringField(m map[string]any, names ...string) string {
	for _, n := range names {
		if s, ok := m[n].(string); ok && s != "" {
			return s
		}
	}
	return ""
}

func hash32(s string) uint32 {
	h := fnv.New32a()
	h.Write([]byte(s))
	return h.Sum32()
}
