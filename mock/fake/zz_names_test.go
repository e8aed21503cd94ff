package fake
import ("testing";"fmt")
func TestPrintNames(t *testing.T){ fmt.Println(Names()) }
