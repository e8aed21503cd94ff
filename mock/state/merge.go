package state

// MergePatch applies a JSON merge patch (RFC 7386) to target and returns the result. It
// modifies neither argument: objects along the patched paths are copied, everything else
// is shared. A patch that is not an object replaces the target; a null member of an object
// patch removes that key.
func MergePatch(target, patch any) any {
	p, ok := patch.(map[string]any)
	if !ok {
		return patch
	}
	t, _ := target.(map[string]any)
	out := make(map[string]any, len(t)+len(p))
	for k, v := range t {
		out[k] = v
	}
	for k, v := range p {
		if v == nil {
			delete(out, k)
			continue
		}
		out[k] = MergePatch(out[k], v)
	}
	return out
}
