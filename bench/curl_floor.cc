// curl-floor: the start-up floor under dbt-rotate. It links libcurl and nothing else of ours
// (so the loader maps Debian's libcurl and its ~35 libraries, as for dbt-rotate), prints the
// CLOCK_MONOTONIC time at which main() starts, and exits. dbt-rotate-bench compares this with
// dbt-rotate's time to first request.

#include <curl/curl.h>

#include <cstdio>
#include <ctime>

int main(int argc, char** /*argv*/) {
  timespec now{};
  clock_gettime(CLOCK_MONOTONIC, &now);
  std::printf("%lld %ld\n", static_cast<long long>(now.tv_sec), now.tv_nsec);
  // Never true: keeps libcurl a real dependency (the linker drops unused ones).
  if (argc > 1000) curl_easy_cleanup(curl_easy_init());
  return 0;
}
