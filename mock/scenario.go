package mock

import "net/http"

// scenarioStep lets the active scenarios answer a request before the normal pipeline (security,
// validation, state, generation). It reports whether it answered.
func (o *opRuntime) scenarioStep(w http.ResponseWriter, req *request) bool { return false }
