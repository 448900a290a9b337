package ruleset

import (
	"strings"

	"github.com/eligo-dev/eligo/rules/file"
	"go.yaml.in/yaml/v3"
)

// aliasFloor is how much any file's aliases may repeat, however small the
// file (see checkAliases).
const aliasFloor = 64 << 10

// checkAliases bounds what the aliases of a file repeat. The parser reads
// an alias (*name) as a copy of its anchor's value (&name), so a file that
// aliases a large value many times would cost far more to check, and
// report far more errors, than its size. What the aliases add, each
// counted as the value it names (one per YAML node plus the length of
// each node's text, aliases within it counted the same way), may be at
// most the file's own size in bytes, or aliasFloor for a smaller file. It
// returns the alias at which the file passes that, walking the document
// in order; or nil, after marking every node of an aliased value as shared.
// A value that holds an alias of itself has no end: its alias passes the
// limit, and checkAliases returns that value too (cycle).
func (p *parser) checkAliases(root *yaml.Node, size int) (alias, cycle *yaml.Node) {
	w := &aliasWalk{limit: max(size, aliasFloor), weights: map[*yaml.Node]int{}, targets: map[*yaml.Node]bool{}, open: map[*yaml.Node]bool{}}
	if a := w.walk(root); a != nil {
		return a, w.cycle
	}
	for target := range w.targets {
		p.markShared(target)
	}
	return nil, nil
}

type aliasWalk struct {
	limit   int
	total   int                 // what the aliases walked so far add
	weights map[*yaml.Node]int  // each aliased value's weight, once known
	targets map[*yaml.Node]bool // the aliased values
	open    map[*yaml.Node]bool // the aliased values being weighed
	cycle   *yaml.Node          // an aliased value found to hold an alias of itself
}

// walk adds up the weight of the aliases under n in document order and
// returns the first at which the total passes the limit, or nil.
func (w *aliasWalk) walk(n *yaml.Node) *yaml.Node {
	if n.Kind == yaml.AliasNode {
		if n.Alias == nil {
			return nil
		}
		w.targets[n.Alias] = true
		w.total = min(w.total+w.weight(n.Alias), w.limit+1)
		if w.total > w.limit {
			return n
		}
		return nil
	}
	for _, c := range n.Content {
		if a := w.walk(c); a != nil {
			return a
		}
	}
	return nil
}

// weight is the weight of the value n as read, aliases expanded, capped
// just past the limit. An aliased value's weight is worked out once; one
// that holds an alias of itself weighs more than the limit.
func (w *aliasWalk) weight(n *yaml.Node) int {
	if n.Kind == yaml.AliasNode {
		if n.Alias == nil {
			return 1
		}
		target := n.Alias
		if v, ok := w.weights[target]; ok {
			if w.open[target] {
				w.cycle = target
			}
			return v
		}
		w.weights[target] = w.limit + 1 // while it is worked out: a cycle is over the limit
		w.open[target] = true
		v := w.weight(target)
		delete(w.open, target)
		w.weights[target] = v
		return v
	}
	sum := 1 + len(n.Value)
	for _, c := range n.Content {
		sum = min(sum+w.weight(c), w.limit+1)
	}
	return sum
}

// markShared marks n and the nodes under it as read through an alias.
func (p *parser) markShared(n *yaml.Node) {
	if p.shared == nil {
		p.shared = map[*yaml.Node]bool{}
	}
	if p.shared[n] {
		return
	}
	p.shared[n] = true
	for _, c := range n.Content {
		p.markShared(c)
	}
}

// sharedErr is a fault at a node of an aliased value: the node, the kind
// and the message without what holds the node.
type sharedErr struct {
	node   *yaml.Node
	kind   error
	detail string
}

// repeat reports whether the fault at n was already reported through
// another reading of n (the anchor's value, or another alias of it), and
// notes it if not. The readings' messages differ only in what holds the
// node, the message's part before its first ": ".
func (p *parser) repeat(n *yaml.Node, kind error, msg string) bool {
	if !p.shared[n] {
		return false
	}
	detail := msg
	if _, after, ok := strings.Cut(msg, ": "); ok {
		detail = after
	}
	key := sharedErr{n, kind, detail}
	if p.sharedErrs[key] {
		return true
	}
	if p.sharedErrs == nil {
		p.sharedErrs = map[sharedErr]bool{}
	}
	p.sharedErrs[key] = true
	return false
}

// aliasLimitError reports alias a, past the limit of checkAliases.
func (p *parser) aliasLimitError(a *yaml.Node, size int, cycle *yaml.Node) {
	if cycle != nil {
		p.errorf(a, file.ErrLimit, "alias *%s: the value of &%s holds an alias of itself, a copy without end", a.Value, cycle.Anchor)
		return
	}
	p.errorf(a, file.ErrLimit, "alias *%s: the file's aliases repeat more than %d bytes of it (its own size, or %d for a smaller file); each alias is read as a copy of its anchor's value",
		a.Value, max(size, aliasFloor), aliasFloor)
}
