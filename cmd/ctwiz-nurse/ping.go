package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"time"

	"github.com/ctwiz-nurse/ctwiz-nurse/credentials"
)

func runPing(e *env, args []string) int {
	fs := flag.NewFlagSet("ping", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	var conn connFlags
	conn.register(fs)
	conn.registerSandbox(fs)
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, "Usage: ctwiz-nurse ping [--profile P] [--endpoint URL] [--debug FILE]")
		fmt.Fprintln(e.stderr, "Sends the CDC connectivity test to CT WiZ and prints its echo and the round-trip time.")
		fmt.Fprintln(e.stderr, "No credentials are sent. Exit codes: 0 answered, 2 usage, 8 network/TLS/timeout, 1 other.")
		fs.PrintDefaults()
	}
	if code, ok := parseArgs(e, fs, "ping", args, ""); !ok {
		return code
	}
	p, stopSandbox, err := conn.start(e)
	defer stopSandbox()
	if err != nil {
		return fail(e.stderr, "ping", err)
	}
	// connectivityTest carries no credentials: the keychain is not asked.
	client, closeTrace, err := conn.newClientWith(e, p, credentials.Credentials{}, "")
	if err != nil {
		return fail(e.stderr, "ping", err)
	}
	defer closeTrace()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	start := time.Now()
	echo, err := client.Ping(ctx)
	if err != nil {
		return fail(e.stderr, "ping", err)
	}
	fmt.Fprintf(e.stdout, "CT WiZ %s at %s answered in %v: %q\n", p.Environment(), p.Endpoint, time.Since(start).Round(time.Millisecond), echo)
	return exitOK
}
