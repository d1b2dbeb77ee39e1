package main

import (
	"context"
	"flag"
	"fmt"
	"io"
)

// demoCmd loads the demo tenant unless it is there already.
func demoCmd(ctx context.Context, cfg Config, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	d, err := openApp(ctx, cfg)
	if err != nil {
		return err
	}
	defer d.Close()
	summary, err := seedDemoOnce(ctx, d.DB, cfg)
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	fmt.Fprintln(stdout, summary)
	return nil
}
