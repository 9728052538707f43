/* fault.h — fault injection for any command that writes files: the command runs under the fault
 * shim (build/tests/faultshim.so) with each of its file-system calls failing in turn, or is killed
 * at random moments; the helpers assert what a user relies on after each run. */
#ifndef IMHE_TEST_FAULT_H
#define IMHE_TEST_FAULT_H

/* A directory the command writes in. Every file the command creates or replaces must lie in one.
 * In a `soft` one (a cache) a failed write may pass silently: the command then still succeeds. */
struct fault_dir {
  const char *path; /* absolute */
  int soft;
};

struct fault_case {
  const char *name; /* for messages */
  const char *cmd;  /* a shell command line, run from the project root; it must succeed undisturbed
                       (exit 0 or 1) and change at least one file in a hard directory */
  struct fault_dir dirs[4];
  int ndirs;
};

/* What a sweep found: the caller asserts violations == 0 (so the helpers can be tested too). */
struct fault_stats {
  int calls;      /* file-system calls the command makes in the directories, each failed in turn */
  int writes;     /* of which write(2) calls, each also made short */
  int runs;       /* runs made */
  int violations; /* broken guarantees, the first ones described in `problems` */
  char problems[4096];
};

/* Counts the command's calls, then fails the N-th with ENOSPC, EIO and EINTR for every N, and
 * makes every write short. After each run: every file in the directories holds its earlier
 * content or the undisturbed run's new content, byte for byte; no other file (a temp file) is
 * left; an ENOSPC or EIO in a hard directory exits 2 with a message naming the file and the
 * error; EINTR, short writes and failures in a soft directory leave the command's outcome and
 * outputs as if nothing had happened. Each broken guarantee is counted in st->violations. */
void fault_sweep(const struct fault_case *c, struct fault_stats *st);

struct kill_stats {
  int runs, old, updated; /* outcomes of the hard directories' files: all old, or all new */
  int temps;              /* runs that left a temp file (killed mid-write); removed after */
  int violations;         /* a torn, lost or unexplained file, described in `problems` */
  char problems[4096];
};

/* Runs the command `runs` times, killing it with SIGKILL at a random moment of its run time
 * (measured once undisturbed); asserts each file in the directories is exactly its earlier
 * content or exactly the new one, never a mix, and anything else left is a temp file beside it;
 * each broken guarantee is counted in st->violations. */
void kill_sweep(const struct fault_case *c, int runs, struct kill_stats *st);

/* The shim: $IMHE_FAULTSHIM, or tests/faultshim.so beside the binary's build directory. */
const char *fault_shim(void);

#endif
