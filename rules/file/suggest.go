package file

import (
	"strings"
	"unicode/utf8"
)

// MaxSuggestLen is the longest name, in characters, that Suggest finds a
// likely typo of: a longer name gets no suggestion.
const MaxSuggestLen = 256

// Suggest returns the candidate closest to s by EditDistance, ignoring
// case, if it is close enough to be a likely typo (a distance under 3, or
// under 2 for a word of three letters or fewer); otherwise "". Of equally
// close candidates the first wins. A name longer than MaxSuggestLen gets
// none. It offers the "did you mean" of errors; its cost is about the
// candidates' length, as the distance is worked out only as far as it can
// still be under the limit. To suggest among the same candidates for many
// names, use a Suggester.
func Suggest(s string, candidates []string) string {
	limit, ok := suggestLimit(s)
	if !ok {
		return ""
	}
	a := []rune(strings.ToLower(s))
	best := ""
	var buf distanceBuf
	for _, c := range candidates {
		if !lengthWithin(len(a), c, limit) {
			continue
		}
		if d := buf.below([]rune(strings.ToLower(c)), a, limit); d < limit {
			best, limit = c, d
			if d == 0 {
				break
			}
		}
	}
	return best
}

// suggestLimit is the distance a suggestion for s must be under, and
// whether s may get one at all.
func suggestLimit(s string) (int, bool) {
	switch {
	case len(s) > MaxSuggestLen && utf8.RuneCountInString(s) > MaxSuggestLen:
		return 0, false
	case len(s) <= 3:
		return 2, true
	}
	return 3, true
}

// lengthWithin reports whether c's length in characters is within limit
// (exclusive) of n: else c is too far from a name of n characters.
func lengthWithin(n int, c string, limit int) bool {
	if len(c) <= n-limit { // bytes, at least as many as characters
		return false
	}
	d := utf8.RuneCountInString(c) - n
	return d > -limit && d < limit
}

// Suggester is Suggest for many names among one list of candidates: the
// candidates are prepared once, by NewSuggester, and each name compared
// only with those of a length near its own.
type Suggester struct {
	exact    map[string]string          // a candidate's lower case: the first candidate with it
	byLength map[int][]suggestCandidate // by length in characters, in the order given
	buf      distanceBuf
}

type suggestCandidate struct {
	index int    // in the list given
	name  string // as given
	lower []rune
}

// NewSuggester prepares candidates for Suggester.Suggest. Candidates longer
// than MaxSuggestLen+2 characters are left out: no name that gets a
// suggestion is close enough to them.
func NewSuggester(candidates []string) *Suggester {
	g := &Suggester{exact: map[string]string{}, byLength: map[int][]suggestCandidate{}}
	for i, c := range candidates {
		n := utf8.RuneCountInString(c)
		if n > MaxSuggestLen+2 {
			continue
		}
		lower := strings.ToLower(c)
		if _, ok := g.exact[lower]; !ok {
			g.exact[lower] = c
		}
		g.byLength[n] = append(g.byLength[n], suggestCandidate{i, c, []rune(lower)})
	}
	return g
}

// Suggest returns what the package's Suggest returns for s and the
// Suggester's candidates. It is not safe for concurrent use.
func (g *Suggester) Suggest(s string) string {
	limit, ok := suggestLimit(s)
	if !ok {
		return ""
	}
	lower := strings.ToLower(s)
	if c, ok := g.exact[lower]; ok {
		return c
	}
	a := []rune(lower)
	best, bestD, bestIndex := "", limit, -1
	for n := len(a) - limit + 1; n < len(a)+limit; n++ {
		for _, c := range g.byLength[n] {
			bound := bestD
			if bestIndex >= 0 && c.index < bestIndex {
				bound++ // an earlier candidate wins a tie
			} else if bestD <= 1 {
				break // no other distance is 0: nothing later here can win
			}
			if d := g.buf.below(c.lower, a, bound); d < bound {
				best, bestD, bestIndex = c.name, d, c.index
			}
		}
	}
	return best
}

// distanceBuf holds the rows of a distance worked out, for reuse.
type distanceBuf struct{ rows [3][]int }

// below returns the EditDistance of a and b if it is under limit, else
// limit: it works out only the cells within limit of the diagonal, and
// stops at a row none of whose cells is under limit.
func (buf *distanceBuf) below(a, b []rune, limit int) int {
	if d := len(a) - len(b); d >= limit || -d >= limit {
		return limit
	}
	n := len(b)
	for k := range buf.rows {
		if cap(buf.rows[k]) < n+1 {
			buf.rows[k] = make([]int, n+1)
		}
		buf.rows[k] = buf.rows[k][:n+1]
	}
	prev2, prev, cur := buf.rows[0], buf.rows[1], buf.rows[2]
	for j := range prev {
		prev[j] = min(j, limit)
	}
	for i := 1; i <= len(a); i++ {
		lo, hi := max(1, i-limit+1), min(n, i+limit-1) // the band: |i-j| < limit
		if lo == 1 {
			cur[0] = min(i, limit)
		} else {
			cur[lo-1] = limit
		}
		rowMin := cur[lo-1]
		for j := lo; j <= hi; j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, prev2[j-2]+1) // a transposition
			}
			cur[j] = min(v, limit)
			rowMin = min(rowMin, cur[j])
		}
		if hi < n {
			cur[hi+1] = limit
		}
		if rowMin >= limit {
			return limit // each row's least is at most one more than the last's
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[n]
}

// EditDistance is the number of single-character edits (insertions,
// deletions, substitutions, and swaps of two adjacent characters) that turn
// a into b, counted in runes: the optimal string alignment distance, so that
// "cdp" is one edit from "cpd". It costs len(a)*len(b); Suggest works out
// only what it needs of it.
func EditDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev2 := make([]int, len(rb)+1) // row i-2, for transpositions
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1) // a transposition: "cdp" for "cpd"
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}
