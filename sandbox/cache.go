package sandbox

import "sync"

// historyCache keeps the encoded histories (PID to the last OBX, in wire
// form and escaped for SOAP) of the records queried last, so a record asked for again, as the second step
// of a lookup does, is not evaluated and encoded again. An entry serves
// while the patient is unchanged (version) on the same day; stale ones age
// out. It holds at most historyCacheEntries entries and historyCacheBytes
// bytes, oldest out first.
type historyCache struct {
	mu      sync.Mutex
	entries map[historyKey]*cachedHistory
	order   []historyKey // oldest first
	bytes   int
}

type historyKey struct {
	id       string // registry ID
	version  int    // patient.version when encoded
	day      string // the sandbox's day, YYYYMMDD: forecasts change with it
	forecast bool   // Z42 (with evaluation and forecast) rather than Z32
}

const (
	historyCacheEntries = 1024
	historyCacheBytes   = 32 << 20
)

func (c *historyCache) get(k historyKey) (*cachedHistory, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	b, ok := c.entries[k]
	return b, ok
}

func (c *historyCache) put(k historyKey, h *cachedHistory) {
	size := len(h.hl7) + len(h.xml)
	if size > historyCacheBytes/16 {
		return // a record this large is rare; it would crowd out the rest
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = map[historyKey]*cachedHistory{}
	}
	if _, ok := c.entries[k]; ok {
		return
	}
	for len(c.order) > 0 && (len(c.order) >= historyCacheEntries || c.bytes+size > historyCacheBytes) {
		old := c.order[0]
		c.order = c.order[1:]
		c.bytes -= len(c.entries[old].hl7) + len(c.entries[old].xml)
		delete(c.entries, old)
	}
	c.entries[k] = h
	c.order = append(c.order, k)
	c.bytes += size
}
