#ifndef DBTROTATE_CORE_SANITIZERS_H_
#define DBTROTATE_CORE_SANITIZERS_H_

// DBTROTATE_ASAN is 1 in a build under AddressSanitizer, else 0: g++ defines
// __SANITIZE_ADDRESS__, clang 14 only answers __has_feature(address_sanitizer).

#if defined(__SANITIZE_ADDRESS__)
#define DBTROTATE_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define DBTROTATE_ASAN 1
#endif
#endif
#ifndef DBTROTATE_ASAN
#define DBTROTATE_ASAN 0
#endif

#endif  // DBTROTATE_CORE_SANITIZERS_H_
