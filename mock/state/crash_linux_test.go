package state

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"
)

const crashEnv = "VENDORMOCK_STATE_CRASH_FILE"

// TestSaveFile_SurvivesKill runs a child process that writes records one after the other
// with Autosave on, kills it with SIGKILL at a random moment, and checks that the file
// always loads and holds a prefix of the writes; the next child continues from it.
func TestSaveFile_SurvivesKill(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	path := filepath.Join(t.TempDir(), "state.json")
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 0))
	prev := 0
	for round := range 6 {
		delay := time.Duration(5+rng.IntN(150)) * time.Millisecond
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), crashEnv+"="+path)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// wait until the child writes (startup is slow under -race), then kill it at an
		// unpredictable moment of real time, which is the point of the test
		started := make(chan error, 1)
		go func() {
			_, err := bufio.NewReader(out).ReadString('\n')
			started <- err
		}()
		select {
		case err := <-started:
			if err != nil {
				t.Fatalf("round %d: child did not start: %v", round, err)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("round %d: child did not start in time", round)
		}
		<-time.After(delay)
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		if err := cmd.Wait(); err == nil {
			t.Fatalf("round %d: child exited by itself", round)
		}
		s := newStore(t, Options{})
		if err := s.LoadFile(path); err != nil {
			t.Fatalf("round %d (killed after %v): %v", round, delay, err)
		}
		p := s.Session("").List("users", Query{})
		for i, r := range p.Items {
			if r["n"] != int64(i) || r["id"] != int64(i+1) {
				t.Fatalf("round %d (killed after %v): record %d = %v, not a prefix of the writes", round, delay, i, r)
			}
		}
		if p.Total < prev {
			t.Fatalf("round %d: file holds %d records, fewer than the %d loaded before", round, p.Total, prev)
		}
		t.Logf("round %d: killed after %v, file holds %d records", round, delay, p.Total)
		prev = p.Total
	}
	if prev == 0 {
		t.Fatal("no child ever saved")
	}
}

// TestCrashChild is the child of TestSaveFile_SurvivesKill; it does nothing on its own.
func TestCrashChild(t *testing.T) {
	path := os.Getenv(crashEnv)
	if path == "" {
		t.Skip("child process of TestSaveFile_SurvivesKill")
	}
	s := newStore(t, Options{Now: time.Now, MaxRecordsPerSession: 1 << 30})
	if err := s.LoadFile(path); err != nil {
		t.Fatal(err)
	}
	go func() {
		if err := s.Autosave(context.Background(), path, 3*time.Millisecond); err != nil {
			t.Error(err)
		}
	}()
	x := s.Session("")
	fmt.Println("writing")
	for n := x.Count("users"); ; n++ {
		if _, err := x.Create("users", Record{"n": int64(n), "pad": strconv.Itoa(n * 7919)}); err != nil {
			t.Fatal(err)
		}
		if n%50 == 0 {
			<-time.After(time.Millisecond) // keep the file small enough to be saved many times
		}
	}
}
