// Package arena carves many small slices of one element type out of one
// allocation, a [Slab], so that a result made of hundreds of small slices
// costs a few allocations instead of hundreds.
//
// Every slice handed out is capped at its own length, so a caller
// appending to one gets a copy and never overwrites its neighbour. A slab is
// an ordinary Go slice: what holds its elements keeps it alive, and nothing
// else writes it until Init hands it out again (which a caller does only on
// purpose, to reuse the memory of a result it is done with).
package arena

// Slab is the memory of one kind of element: buf's length is what was
// handed out, its capacity the slab's size. The zero Slab has no room:
// every Take allocates.
type Slab[T any] struct {
	buf  []T
	need int // the elements asked for, beyond the slab too
}

// Init gives s room for n elements: its old memory (its last slab),
// cleared, when it has room (the memory of a result being reused), else
// new memory; none for n == 0. Only what
// was handed out needs clearing: the rest of the slab was never written,
// since every slice handed out is capped at its own length.
func (s *Slab[T]) Init(n int) {
	switch {
	case n == 0:
		s.buf = nil // no room: Take allocates
	case cap(s.buf) >= n:
		clear(s.buf)
		s.buf = s.buf[:0]
	default:
		s.buf = make([]T, 0, n)
	}
	s.need = 0
}

// Use gives s the memory mem, written by nothing else, to carve its slices
// from: its size is len(mem). It lets a caller allocate the memory of many
// slabs, of many element types, at once. The elements are handed out as
// they are: zero in new memory; a caller that hands mem over again writes
// every element it takes whole.
func (s *Slab[T]) Use(mem []T) {
	s.buf = mem[:0:len(mem)]
	s.need = 0
}

// Need is how many elements were asked for since Init, beyond the slab's
// room too: the size the next slab needs for a result like this one.
func (s *Slab[T]) Need() int { return s.need }

// Cap is the slab's size, in elements: the new slab's, once s outgrew its
// first.
func (s *Slab[T]) Cap() int { return cap(s.buf) }

// Take returns n elements of s, from the slab while it has room. When it
// has none left, s goes on in a new slab, of an ordinary allocation as big
// as the old one at least: a result that outgrows its slab costs an
// allocation, or a few, not one per Take.
func Take[T any](s *Slab[T], n int) []T {
	if n == 0 {
		return nil
	}
	s.need += n
	i := len(s.buf)
	if i+n > cap(s.buf) {
		s.buf, i = make([]T, 0, max(n, cap(s.buf))), 0
	}
	s.buf = s.buf[:i+n]
	return s.buf[i : i+n : i+n]
}

// TakeEmpty returns a non-nil empty slice with room for n elements of s.
func TakeEmpty[T any](s *Slab[T], n int) []T {
	if n == 0 {
		return []T{}
	}
	return Take(s, n)[:0]
}
