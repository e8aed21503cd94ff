// Command waitup starts a server and measures the time from its start to its first 2xx
// answer, polling from inside one process: a shell loop that spawns curl every few
// milliseconds takes CPU from the server it is timing (on 2 cores that added ~0.3 s).
//
//	waitup -url http://127.0.0.1:4010/__admin/health -log server.log -- vendormock serve ...
//
// It prints "PID MILLISECONDS" and leaves the server running (bench.sh stops it).
package main

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"time"
)

func main() {
	url := flag.String("url", "", "URL that answers 2xx once the server is up")
	logFile := flag.String("log", "", "file for the server's stdout and stderr (default: discarded)")
	timeout := flag.Duration("timeout", 30*time.Second, "give up after this long")
	every := flag.Duration("every", 2*time.Millisecond, "poll interval")
	flag.Parse()
	if *url == "" || flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: waitup -url URL [-log FILE] [-timeout D] -- COMMAND [ARGS...]")
		os.Exit(2)
	}
	if err := run(*url, *logFile, *timeout, *every, flag.Args()); err != nil {
		fmt.Fprintln(os.Stderr, "waitup:", err)
		os.Exit(1)
	}
}

func run(url, logFile string, timeout, every time.Duration, argv []string) error {
	cmd := exec.Command(argv[0], argv[1:]...)
	if logFile != "" {
		f, err := os.Create(logFile)
		if err != nil {
			return err
		}
		defer f.Close()
		cmd.Stdout, cmd.Stderr = f, f
	}
	client := &http.Client{Timeout: time.Second}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start %s: %w", argv[0], err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if resp, err := client.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode >= 200 && resp.StatusCode < 300 {
				fmt.Println(cmd.Process.Pid, time.Since(start).Milliseconds())
				return nil
			}
		}
		select {
		case err := <-exited:
			return fmt.Errorf("%s exited before answering: %v", argv[0], err)
		case <-ctx.Done():
			_ = cmd.Process.Kill()
			return fmt.Errorf("%s did not answer %s within %s", argv[0], url, timeout)
		case <-tick.C:
		}
	}
}
