//go:build race

package sandbox

// slowdown is how much slower the race detector makes the server: timing
// bounds in tests are multiplied by it.
const slowdown = 10
