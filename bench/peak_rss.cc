// peak-rss OUT CMD [ARGS...]: runs CMD, writes its peak RSS in KiB to the file OUT and exits as
// CMD did. The benchmarks measure memory through it because a process they start themselves
// reports their own high-water mark: exec keeps the peak of the address space it replaces, and
// a child of posix_spawn (or fork) starts in, or from, the benchmark's, which holds the
// emulators. This program is small, so the figure it reads is the command's own.

#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <cstdio>

extern char** environ;

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: peak-rss OUT CMD [ARGS...]\n");
    return 2;
  }
  pid_t pid = 0;
  if (posix_spawnp(&pid, argv[2], nullptr, nullptr, argv + 2, environ) != 0) {
    std::perror("peak-rss: cannot start the command");
    return 127;
  }
  int status = 0;
  rusage usage{};
  if (wait4(pid, &status, 0, &usage) != pid) return 127;
  std::FILE* out = std::fopen(argv[1], "w");
  if (out == nullptr) return 127;
  std::fprintf(out, "%ld\n", usage.ru_maxrss);
  std::fclose(out);
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return 128 + WTERMSIG(status);
}
