package main

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// progressMin is the number of documents above which a batch shows a
// progress bar (on a terminal): below it, the batch is over in a blink.
const progressMin = 500

// progress is a one-line progress bar on a terminal, redrawn in place with
// a carriage return at most ten times a second. Its methods do nothing on
// a nil *progress, which is what newProgress gives when no bar is wanted.
type progress struct {
	w     io.Writer
	total int
	done  int
	start time.Time
	last  time.Time // when the bar was drawn last
	width int       // the length of the line drawn, 0 when none is shown
}

// newProgress returns a progress bar on w for total documents, or nil when
// w is not a terminal or total is no more than progressMin.
func newProgress(w io.Writer, total int) *progress {
	if total <= progressMin || !isTerminal(w) {
		return nil
	}
	return &progress{w: w, total: total, start: time.Now()}
}

// add counts one document done, and redraws the bar if it is time to.
func (p *progress) add() {
	if p == nil {
		return
	}
	p.done++
	if now := time.Now(); now.Sub(p.last) >= 100*time.Millisecond || p.done == p.total {
		p.last = now
		p.draw(now)
	}
}

// set counts done documents done in all, and redraws the bar if it is time to.
func (p *progress) set(done int) {
	if p == nil || done <= p.done {
		return
	}
	p.done = done - 1
	p.add()
}

func (p *progress) draw(now time.Time) {
	const cells = 30
	filled := cells * p.done / p.total
	line := fmt.Sprintf("deciding [%s%s] %d/%d", strings.Repeat("=", filled), strings.Repeat(" ", cells-filled), p.done, p.total)
	if elapsed := now.Sub(p.start).Seconds(); elapsed > 0.5 && p.done > 0 {
		rate := float64(p.done) / elapsed
		left := time.Duration(float64(p.total-p.done) / rate * float64(time.Second)).Round(time.Second)
		line += fmt.Sprintf("  %.0f/s  %v left", rate, left)
	}
	pad := ""
	if len(line) < p.width {
		pad = strings.Repeat(" ", p.width-len(line))
	}
	fmt.Fprint(p.w, "\r"+line+pad)
	p.width = len(line)
}

// clear erases the bar, so that a message can be written to w; the next
// add draws it again.
func (p *progress) clear() {
	if p == nil || p.width == 0 {
		return
	}
	fmt.Fprint(p.w, "\r"+strings.Repeat(" ", p.width)+"\r")
	p.width = 0
	p.last = time.Time{}
}
