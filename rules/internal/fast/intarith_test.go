package fast

import (
	"math"
	"math/big"
	"testing"
)

// TestIntArith holds IntArith to exact arithmetic: its result when the
// exact one fits an int, false when it does not.
func TestIntArith(t *testing.T) {
	vals := []int{0, 1, -1, 2, -2, 3, 1 << 31, -1 << 31, 1<<62 + 100, math.MaxInt, math.MinInt, math.MaxInt - 1, math.MinInt + 1, math.MaxInt / 2, math.MinInt / 2, 3037000500, -3037000500}
	for _, x := range vals {
		for _, y := range vals {
			for _, op := range []byte{'+', '-', '*'} {
				bx, by := big.NewInt(int64(x)), big.NewInt(int64(y))
				exact := new(big.Int)
				switch op {
				case '+':
					exact.Add(bx, by)
				case '-':
					exact.Sub(bx, by)
				case '*':
					exact.Mul(bx, by)
				}
				fits := exact.IsInt64() && exact.Int64() >= math.MinInt && exact.Int64() <= math.MaxInt
				got, ok := IntArith(op, x, y)
				if ok != fits || ok && int64(got) != exact.Int64() {
					t.Errorf("%d %c %d = %d, %v; exact %v", x, op, y, got, ok, exact)
				}
			}
		}
	}
}
