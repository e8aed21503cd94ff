package state

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
)

const cursorPrefix = "vm1:"

// Cursor returns the opaque page cursor for vendors that page by cursor: it names the
// offset of the next page's first match. Cursors are stable strings, so the same page
// always gets the same cursor.
func Cursor(offset int) string {
	return base64.RawURLEncoding.EncodeToString([]byte(cursorPrefix + strconv.Itoa(max(offset, 0))))
}

// ParseCursor reads a cursor made by Cursor and returns its offset; anything else gives
// an error wrapping ErrInvalid.
func ParseCursor(cursor string) (int, error) {
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil {
		return 0, fmt.Errorf("cursor %q: %w", cursor, ErrInvalid)
	}
	digits, ok := strings.CutPrefix(string(raw), cursorPrefix)
	if !ok || !isDigits(digits) {
		return 0, fmt.Errorf("cursor %q: %w", cursor, ErrInvalid)
	}
	n, err := strconv.Atoi(digits)
	if err != nil {
		return 0, fmt.Errorf("cursor %q: offset out of range: %w", cursor, ErrInvalid)
	}
	return n, nil
}
