package state

import (
	"errors"
	"testing"
)

func TestCursor(t *testing.T) {
	for _, off := range []int{0, 1, 20, 1 << 40} {
		got, err := ParseCursor(Cursor(off))
		if err != nil || got != off {
			t.Errorf("ParseCursor(Cursor(%d)) = %d, %v", off, got, err)
		}
	}
	if Cursor(-5) != Cursor(0) {
		t.Error("a negative offset does not give the first page")
	}
	for _, bad := range []string{"", "!!", "dm0xOg", Cursor(3) + "!", "dm0xOi01", "dm0xOjk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5"} {
		if _, err := ParseCursor(bad); !errors.Is(err, ErrInvalid) {
			t.Errorf("ParseCursor(%q) = %v, want ErrInvalid", bad, err)
		}
	}
}

func FuzzParseCursor(f *testing.F) {
	f.Add(Cursor(0))
	f.Add(Cursor(12345))
	f.Add("not a cursor")
	f.Fuzz(func(t *testing.T, c string) {
		off, err := ParseCursor(c)
		if err != nil {
			return
		}
		if off < 0 {
			t.Fatalf("ParseCursor(%q) = %d", c, off)
		}
		if back, err := ParseCursor(Cursor(off)); err != nil || back != off {
			t.Fatalf("round trip of %d = %d, %v", off, back, err)
		}
	})
}
