// SPDX-License-Identifier: Apache-2.0
/* runstat [-o FILE] [-l LABEL] [-x] CMD [ARG...]: runs CMD and prints one line
 * to stderr, or appends it to FILE with -o:
 *   LABEL wall_us=W cpu_us=C status=X [rss_kb=R hwm_kb=H]   (LABEL: runstat)
 * wall: monotonic clock from fork to the end of wait4; cpu: user+sys of CMD
 * and of every descendant it waited for (wait4's rusage, so a process tree
 * whose members are all waited for counts whole).
 * -x: peak RSS of CMD itself (not its children). The kernel's ru_maxrss and
 * VmHWM come from per-CPU batched counters that read 0 for a process of a few
 * dozen pages, so instead CMD runs under ptrace and, stopped at its exit
 * (PTRACE_EVENT_EXIT, before its memory is released), the Rss of
 * /proc/PID/smaps_rollup is read: a page-table walk, exact. A process that
 * never unmaps memory (no heap, no munmap) peaks at its exit, so that Rss is
 * its peak; hwm_kb is the kernel's VmHWM at the same moment, for comparison.
 * CMD's own stdout/stderr pass through. Exit status: CMD's, or 128+signal. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* The value in kB of the first line of FILE starting with KEY, or -1. */
static long field_kb(pid_t pid, const char *file, const char *key) {
  char path[64], line[256];
  snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, file);
  FILE *f = fopen(path, "r");
  if (!f) return -1;
  long v = -1;
  size_t n = strlen(key);
  while (fgets(line, sizeof line, f)) {
    if (strncmp(line, key, n) == 0) {
      v = strtol(line + n, NULL, 10);
      break;
    }
  }
  fclose(f);
  return v;
}

int main(int argc, char **argv) {
  int trace = 0;
  const char *out = NULL, *label = "runstat";
  while (argc > 1 && argv[1][0] == '-') {
    if (strcmp(argv[1], "-x") == 0) {
      trace = 1;
    } else if (argc > 2 && strcmp(argv[1], "-o") == 0) {
      out = argv[2];
      argv++;
      argc--;
    } else if (argc > 2 && strcmp(argv[1], "-l") == 0) {
      label = argv[2];
      argv++;
      argc--;
    } else {
      break;
    }
    argv++;
    argc--;
  }
  if (argc < 2) {
    fputs("usage: runstat [-o FILE] [-l LABEL] [-x] CMD [ARG...]\n", stderr);
    return 2;
  }
  FILE *f = stderr;
  if (out && !(f = fopen(out, "a"))) {
    perror(out);
    return 2;
  }
  long long t0 = now_us();
  pid_t pid = fork();
  if (pid < 0) {
    perror("runstat: fork");
    return 2;
  }
  if (pid == 0) {
    if (trace && ptrace(PTRACE_TRACEME, 0, 0, 0) < 0) _exit(126);
    execvp(argv[1], argv + 1);
    perror("runstat: exec");
    _exit(127);
  }
  int st = 0;
  long rss = -1, hwm = -1;
  struct rusage ru;
  memset(&ru, 0, sizeof ru);
  for (;;) {
    if (wait4(pid, &st, 0, &ru) < 0) continue;
    if (!WIFSTOPPED(st)) break;
    int sig = WSTOPSIG(st);
    int event = (unsigned)st >> 16;
    if (event == PTRACE_EVENT_EXIT) {
      rss = field_kb(pid, "smaps_rollup", "Rss:");
      hwm = field_kb(pid, "status", "VmHWM:");
      sig = 0;
    } else if (sig == SIGTRAP) {
      /* the stop after execve: ask for the exit stop from now on */
      ptrace(PTRACE_SETOPTIONS, pid, 0, (void *)(long)PTRACE_O_TRACEEXIT);
      sig = 0;
    }
    ptrace(PTRACE_CONT, pid, 0, (void *)(long)sig);
  }
  long long wall = now_us() - t0;
  long long cpu = (long long)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000 +
                  ru.ru_utime.tv_usec + ru.ru_stime.tv_usec;
  int rc = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
  fprintf(f, "%s wall_us=%lld cpu_us=%lld status=%d", label, wall, cpu, rc);
  if (trace) fprintf(f, " rss_kb=%ld hwm_kb=%ld", rss, hwm);
  fputc('\n', f);
  if (f != stderr) fclose(f);
  return rc;
}
