package scenarios

import "time"

// File is one parsed scenario file.
type File struct {
	// Path is where the file was read from, as shown in messages.
	Path string
	// Vendor is the vendor the file's scenarios belong to: the file's vendor key, else the name
	// of the folder holding it.
	Vendor    string
	Scenarios []*Scenario
}

// Scenario is a named set of rules of one vendor.
type Scenario struct {
	Vendor, Name, Description string
	// File and Line locate the scenario's name in its file.
	File  string
	Line  int
	Rules []*Rule
}

// Rule says which requests it matches and what happens to them.
type Rule struct {
	// Name identifies the rule in logs and the journal ("rule-1" style when the file gives none).
	Name string
	Line int
	// Match selects requests; the zero Match selects every operation of the vendor.
	Match Match
	// Respond is the answer; nil with Fault empty means the request goes on through the normal
	// pipeline after Delay (a delay-only or pagination-only rule).
	Respond *Respond
	// Fault is one of the Fault* constants.
	Fault string
	Delay *Delay
	// Times retires the rule after that many answers (0: never).
	Times int
	// Probability (0..1) is the chance the rule applies to a matching request; nil means always.
	Probability *float64
	RateLimit   *RateLimit
	// Sequence answers consecutive matching calls of each operation in turn; after the last step
	// it stays on the last one, or starts over when Cycle is set.
	Sequence   []*Step
	Cycle      bool
	Pagination *Pagination
}

// Match selects requests. Conditions combine with AND; an empty field does not constrain.
type Match struct {
	// Operations are operationIds (any of them).
	Operations []string
	// Method and Path select by method and path template as the description writes it
	// (/users/{userId}); Method alone selects every path.
	Method, Path string
	// Kind selects by what an operation does: "list" (GET answering a collection) or "read" (GET
	// of one item by id).
	Kind string
	// Query, Header and Body name request values that must equal the given text; "*" only asks for
	// presence. Body keys are dotted paths into a JSON body (patient.name, items.0.id).
	Query, Header, Body map[string]string
	Line                int
}

// Respond is a scripted answer.
type Respond struct {
	Status int
	// Headers are added to the answer; values may be Go templates.
	Headers map[string]string
	// Body is a literal JSON value (HasBody distinguishes an explicit null).
	Body    any
	HasBody bool
	// Template is a Go text/template rendering the body from request values and stored records.
	Template string
	// Generate asks for a body generated from the schema documented for Status.
	Generate bool
	// Message is the detail written into the vendor's documented error body when no body is given.
	Message string
	// ContentType overrides the answer's media type.
	ContentType string
	Line        int

	// bodyTmpl and headerTmpls are Template and the Headers values that are templates, parsed.
	bodyTmpl    *tmpl
	headerTmpls map[string]*tmpl
}

// Step is one entry of a sequence: an answer, a fault, or Pass (the normal answer).
type Step struct {
	Respond *Respond
	Fault   string
	Delay   *Delay
	Pass    bool
	Line    int
}

// Delay is a fixed (Min == Max) or random (Min..Max) wait before answering.
type Delay struct{ Min, Max time.Duration }

// RateLimit allows Requests per Window per client, then answers the rule's Respond (429 with
// Retry-After by default).
type RateLimit struct {
	Requests int
	Window   time.Duration
	// Per chooses the client key: PerClient (credential, else session, else address),
	// PerCredential, PerSession, PerAddress or PerGlobal.
	Per string
}

// Pagination overrides how lists page for a scenario; the state layer reads it.
type Pagination struct {
	// Style overrides the vendor's pagination style ("" keeps it).
	Style string `json:"style,omitempty"`
	// PageSize is the default page size, MaxPageSize the largest a client may ask for (0 keeps
	// the vendor's).
	PageSize    int `json:"pageSize,omitempty"`
	MaxPageSize int `json:"maxPageSize,omitempty"`
	// Total is the size of every collection the rule matches (nil keeps the fixtures' size).
	Total *int `json:"total,omitempty"`
}

// Faults a rule can inject instead of an answer.
const (
	// FaultReset closes the connection abruptly (TCP RST).
	FaultReset = "reset"
	// FaultEmpty closes the connection without writing anything.
	FaultEmpty = "empty"
	// FaultTruncated announces a body and closes the connection half-way through it.
	FaultTruncated = "truncated"
	// FaultMalformed answers the status with a body that is not valid JSON.
	FaultMalformed = "malformed"
	// FaultHang never answers; the request ends when the client gives up.
	FaultHang = "hang"
)

// Client keys of rate limits.
const (
	PerClient     = "client"
	PerCredential = "credential"
	PerSession    = "session"
	PerAddress    = "address"
	PerGlobal     = "global"
)

// Kinds of operation a Match can select.
const (
	KindList = "list"
	KindRead = "read"
)
