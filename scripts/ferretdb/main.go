// Command keepup-ferretdb runs FerretDB v1 embedded, so that the version check of a plain
// `go install` of FerretDB (which panics without its build/version files) never runs.
//
// Usage: keepup-ferretdb -listen 127.0.0.1:27018 -handler postgresql -postgresql-url postgres://root@127.0.0.1:5432/keepup
//
//	keepup-ferretdb -listen 127.0.0.1:27018 -handler sqlite -sqlite-url file:/tmp/keepup-sqlite/
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:27018", "TCP address to listen on")
	handler := flag.String("handler", "postgresql", "backend handler: postgresql or sqlite")
	pgURL := flag.String("postgresql-url", "postgres://root@127.0.0.1:5432/keepup", "PostgreSQL URL")
	sqliteURL := flag.String("sqlite-url", "file:data/", "SQLite directory URL")
	flag.Parse()

	os.Setenv("FERRETDB_TELEMETRY", "disable")
	os.Setenv("DO_NOT_TRACK", "1")

	conf := &ferretdb.Config{
		Listener: ferretdb.ListenerConfig{TCP: *listen},
		Handler:  *handler,
	}
	switch *handler {
	case "postgresql":
		conf.PostgreSQLURL = *pgURL
	case "sqlite":
		conf.SQLiteURL = *sqliteURL
	default:
		log.Fatalf("unknown handler %q (want postgresql or sqlite)", *handler)
	}

	f, err := ferretdb.New(conf)
	if err != nil {
		log.Fatalf("ferretdb: %v", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	fmt.Println("READY " + f.MongoDBURI())
	f.Run(ctx)
}
