package main

import (
	"testing"
	"time"
)

// A piece of `go tool pprof -traces` output: a client sample, two server
// samples (JSON decoding under the handler; a pgx write in a system call
// under gorm), and a scheduler sample.
const traces = `File: http
Type: cpu
Duration: 1s, Total samples = 100ms (10.00%)
-----------+-------------------------------------------------------
     bench:  client
      10ms   net/http.(*persistConn).readLoop
             runtime.goexit
-----------+-------------------------------------------------------
      20ms   encoding/json.(*decodeState).object
             encoding/json.(*Decoder).Decode
             github.com/tandemhq/tandem/web/api.decodeStrict
             github.com/tandemhq/tandem/web/api.(*handler).ingestEvent
             github.com/valyala/fasthttp.(*workerPool).workerFunc
-----------+-------------------------------------------------------
      1.03s  internal/runtime/syscall/linux.Syscall6
             syscall.write
             internal/poll.(*FD).Write
             github.com/jackc/pgx/v5/pgconn.(*PgConn).flushWithPotentialWriteReadDeadlock
             database/sql.(*Tx).ExecContext
             gorm.io/gorm.(*DB).Exec
             github.com/tandemhq/tandem/tenants.WithTenant
-----------+-------------------------------------------------------
      30ms   runtime.findRunnable
             runtime.schedule
             runtime.mcall
-----------+-------------------------------------------------------
`

func TestParseTraces(t *testing.T) {
	bd, err := parseTraces([]byte(traces))
	if err != nil {
		t.Fatal(err)
	}
	if bd.client != 10*time.Millisecond || bd.server != 1080*time.Millisecond {
		t.Fatalf("client %v, server %v; want 10ms, 1.08s", bd.client, bd.server)
	}
	want := map[string]time.Duration{
		"JSON decoding of requests (api.decodeStrict)":   20 * time.Millisecond,
		"pgx (wire protocol, encoding, statement cache)": 1030 * time.Millisecond,
		otherLayer: 30 * time.Millisecond,
	}
	for name, d := range want {
		if bd.layer[name] != d {
			t.Errorf("%s: %v, want %v (all: %v)", name, bd.layer[name], d, bd.layer)
		}
	}
	if got := bd.syscalls["pgx (wire protocol, encoding, statement cache)"]; got != 1030*time.Millisecond {
		t.Errorf("pgx in system calls: %v, want 1.03s", got)
	}
}
