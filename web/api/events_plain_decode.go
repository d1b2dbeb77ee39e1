package api

// decodePlainBatch reads the usual batch body at a glance: {"events":[…]}
// whose events are objects of participant, name and idempotency_key only,
// each at most once and spelled so, with strings of printable ASCII and no
// escapes. Anything else (another field or spelling, an escape, a null, a
// number, a second value) is left to encoding/json (ok false), which then
// decides as it always did; what this reads, encoding/json reads the same
// (FuzzDecodeBatchInOnePass). encoding/json spent about 2 µs a batched
// event here, a twentieth of all the CPU an event cost under figure 4 of
// make bench.
func decodePlainBatch(body []byte) (events []eventRequest, ok bool) {
	p := plainJSON{b: body}
	if !p.take('{') || !p.key("events") || !p.take('[') {
		return nil, false
	}
	events = []eventRequest{}
	if !p.take(']') {
		for {
			e, ok := p.event()
			if !ok {
				return nil, false
			}
			events = append(events, e)
			if p.take(']') {
				break
			}
			if !p.take(',') {
				return nil, false
			}
		}
	}
	if !p.take('}') {
		return nil, false
	}
	p.space()
	return events, p.i == len(p.b)
}

// decodePlainEvent is decodePlainBatch for the body of a single event:
// one plain event object; the zero request when it is not one.
func decodePlainEvent(body []byte) (eventRequest, bool) {
	p := plainJSON{b: body}
	e, ok := p.event()
	p.space()
	if !ok || p.i != len(p.b) {
		return eventRequest{}, false // nothing half read for encoding/json to add to
	}
	return e, true
}

// plainJSON reads the plain JSON decodePlainBatch accepts from b, at i.
type plainJSON struct {
	b []byte
	i int
}

// space skips JSON's whitespace.
func (p *plainJSON) space() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

// take reads c after any whitespace, if it comes next.
func (p *plainJSON) take(c byte) bool {
	p.space()
	if p.i < len(p.b) && p.b[p.i] == c {
		p.i++
		return true
	}
	return false
}

// str reads a plain string after any whitespace and returns its contents,
// a slice of b.
func (p *plainJSON) str() ([]byte, bool) {
	if !p.take('"') {
		return nil, false
	}
	start := p.i
	for ; p.i < len(p.b); p.i++ {
		switch c := p.b[p.i]; {
		case c == '"':
			p.i++
			return p.b[start : p.i-1], true
		case c < 0x20, c >= 0x7f, c == '\\':
			return nil, false
		}
	}
	return nil, false
}

// key reads "name" and the colon after it.
func (p *plainJSON) key(name string) bool {
	k, ok := p.str()
	return ok && string(k) == name && p.take(':')
}

// event reads one event object.
func (p *plainJSON) event() (eventRequest, bool) {
	var e eventRequest
	if !p.take('{') {
		return e, false
	}
	if p.take('}') {
		return e, true
	}
	for {
		k, ok := p.str()
		if !ok || !p.take(':') {
			return e, false
		}
		v, ok := p.str()
		if !ok {
			return e, false
		}
		var field **string
		switch string(k) {
		case "participant":
			field = &e.Participant
		case "name":
			field = &e.Name
		case "idempotency_key":
			field = &e.IdempotencyKey
		default:
			return e, false
		}
		if *field != nil {
			return e, false // given twice: encoding/json keeps the last
		}
		s := string(v) // a copy: the body is Fiber's, reused after the request
		*field = &s
		if p.take('}') {
			return e, true
		}
		if !p.take(',') {
			return e, false
		}
	}
}
