package database_test

import (
	"context"
	"database/sql"
	"testing"

	"github.com/tandemhq/tandem/internal/database"
	"github.com/tandemhq/tandem/internal/dbtest"
)

var env *dbtest.Env

func TestMain(m *testing.M) { dbtest.Main(m, "database", &env) }

func TestPoolPolicy(t *testing.T) {
	for _, tc := range []struct {
		name string
		want int
	}{
		{"policy", database.MaxConns},
	} {
		db, err := database.Open(env.AppURL)
		if err != nil {
			t.Fatal(err)
		}
		sqlDB, err := db.DB()
		if err != nil {
			t.Fatal(err)
		}
		if got := sqlDB.Stats().MaxOpenConnections; got != tc.want {
			t.Errorf("%s: %d connections, want %d", tc.name, got, tc.want)
		}
		// Connections released together stay open for the next requests
		// (database/sql alone would keep 2).
		var conns []*sql.Conn
		for range 3 {
			c, err := sqlDB.Conn(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			conns = append(conns, c)
		}
		for _, c := range conns {
			c.Close()
		}
		if idle := sqlDB.Stats().Idle; idle != 3 {
			t.Errorf("%s: %d idle connections after releasing 3", tc.name, idle)
		}
		if err := database.Close(db); err != nil {
			t.Error(err)
		}
	}
}
