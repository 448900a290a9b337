package view

import "strconv"

// Renumbering a view's entry paths: a view that leaves entries out of a
// list numbers the entries it keeps afresh, so that rules name the third
// entry of the value's list, the second left in, "cpd[1]". A renumbering
// remembers, for each list a view left entries out of, where each entry
// it kept stands in the value, and names it so: "cpd[2]".
type renumbering struct {
	names []string   // per list buffer: the list's name as rules see it
	paths [][]string // per list buffer: "name[k]" for the first entries
	kept  [][]int    // per list buffer: the value's index of each entry kept, when moved
	moved []int      // the list buffers whose entries the last view renumbered
}

// pathsKept is how many entry paths a renumbering makes ahead, per list.
const pathsKept = 32

func (r *renumbering) add(name string) {
	r.names = append(r.names, name)
	paths := make([]string, pathsKept)
	for k := range paths {
		paths[k] = name + "[" + strconv.Itoa(k) + "]"
	}
	r.paths = append(r.paths, paths)
	r.kept = append(r.kept, nil)
}

// reset forgets the last view's renumbering.
func (r *renumbering) reset() { r.moved = r.moved[:0] }

// start begins the renumbering of list buffer buf, of total entries, and
// returns its record of kept entries, emptied.
func (r *renumbering) start(buf, total int) []int {
	r.moved = append(r.moved, buf)
	if cap(r.kept[buf]) < total {
		r.kept[buf] = make([]int, 0, total)
	}
	return r.kept[buf][:0]
}

// renumber returns the path in the value of path, a path rules gave an
// entry of the last view, such as "cpd[1]"; path itself when the view
// did not renumber its list, or it names no entry.
func (r *renumbering) renumber(path string) string {
	if len(r.moved) == 0 {
		return path
	}
	for _, buf := range r.moved {
		name := r.names[buf]
		if len(path) < len(name)+3 || path[:len(name)] != name || path[len(name)] != '[' || path[len(path)-1] != ']' {
			continue
		}
		k, err := strconv.Atoi(path[len(name)+1 : len(path)-1])
		if err != nil || k < 0 || k >= len(r.kept[buf]) {
			return path
		}
		i := r.kept[buf][k]
		if i < pathsKept {
			return r.paths[buf][i]
		}
		return name + "[" + strconv.Itoa(i) + "]"
	}
	return path
}
