#include "cli/token_input.h"

#include <termios.h>
#include <unistd.h>

#include <optional>

#include "cli/interrupt_guard.h"
#include "core/bounded_file.h"

namespace dbtrotate::cli {

namespace {

constexpr std::size_t kMaxTokenBytes = 4096;

// Turns terminal echo off for as long as it lives, when `in` is a terminal. Echo comes back on
// every way out: return, error, EOF, and SIGINT/SIGTERM/SIGHUP (restored by the interrupt
// guard's thread, which then exits 128 + signal).
class EchoOff {
 public:
  explicit EchoOff(int fd) : fd_(fd) {
    if (isatty(fd_) == 0 || tcgetattr(fd_, &saved_) != 0) return;
    interrupts_.emplace([this](int /*signal*/) { Restore(); });
    termios quiet = saved_;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    active_ = tcsetattr(fd_, TCSAFLUSH, &quiet) == 0;
    if (active_) std::fputs("dbt Cloud service token (input hidden): ", stderr);
  }
  ~EchoOff() {
    if (interrupts_) interrupts_->Finish();
    Restore();
  }
  EchoOff(const EchoOff&) = delete;
  EchoOff& operator=(const EchoOff&) = delete;

 private:
  void Restore() {
    if (!active_) return;
    tcsetattr(fd_, TCSAFLUSH, &saved_);
    std::fputs("\n", stderr);
    active_ = false;
  }

  int fd_;
  termios saved_{};
  bool active_ = false;
  std::optional<InterruptGuard> interrupts_;  // declared last: stopped first
};

Result<SecretString, std::string> Validate(std::string&& raw, const char* source) {
  if (raw.size() > kMaxTokenBytes) {
    WipeString(raw);
    return Fail(std::string(source) + " is larger than a token (over " +
                DescribeSize(kMaxTokenBytes) + "); give the token only");
  }
  const auto end = raw.find_last_not_of(" \t\r\n");
  const auto begin = raw.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) {
    WipeString(raw);
    return Fail(std::string("no token on ") + source +
                ": pipe it in (e.g. from your password manager) or set DBT_CLOUD_TOKEN");
  }
  std::string token = raw.substr(begin, end - begin + 1);
  WipeString(raw);
  for (char c : token) {
    if (static_cast<unsigned char>(c) < 0x21 || static_cast<unsigned char>(c) > 0x7e) {
      WipeString(token);
      return Fail(std::string("the token on ") + source +
                  " contains spaces or control characters; expected one line like dbtc_…");
    }
  }
  return SecretString(std::move(token));
}

}  // namespace

Result<SecretString, std::string> ReadTokenInput(const aws::Environment& env, std::FILE* in) {
  if (auto from_env = env.Get("DBT_CLOUD_TOKEN"))
    return Validate(std::move(*from_env), "DBT_CLOUD_TOKEN");
  EchoOff echo_off(fileno(in));
  std::string raw;
  char buffer[256];
  std::size_t read = 0;
  while ((read = std::fread(buffer, 1, sizeof(buffer), in)) > 0) {
    raw.append(buffer, read);
    if (isatty(fileno(in)) && raw.find('\n') != std::string::npos) break;
    if (raw.size() > kMaxTokenBytes) {
      WipeString(raw);
      return Fail("standard input is larger than a token (over " + DescribeSize(kMaxTokenBytes) +
                  "); pipe in the token only");
    }
  }
  std::fill(std::begin(buffer), std::end(buffer), '\0');
  return Validate(std::move(raw), "standard input");
}

}  // namespace dbtrotate::cli
