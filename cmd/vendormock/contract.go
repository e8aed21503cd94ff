package main

import (
	"context"
	"io"
)

// runContract is the contract subcommand (checks a sandbox against a description).
func runContract(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return usageError("contract: not implemented yet")
}
