#include "rotation/run_owner.h"

#include <unistd.h>

#include <charconv>
#include <fstream>
#include <sstream>
#include <vector>

namespace dbtrotate::rotation {

namespace {

std::string ReadFirstLine(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

std::string HostName() {
  char name[256] = {};
  if (gethostname(name, sizeof(name) - 1) != 0) return "unknown-host";
  std::string host(name);
  for (char& c : host) {
    if (c == '/' || c == '@') c = '_';  // keep the tag's separators unambiguous
  }
  return host;
}

// Field 22 of /proc/<pid>/stat: the start time in clock ticks after boot. The command name
// (field 2) may contain spaces and parentheses, so count from the last ')'.
std::optional<std::string> StartTicks(const std::string& pid) {
  const std::string stat = ReadFirstLine("/proc/" + pid + "/stat");
  const auto close = stat.rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::istringstream fields(stat.substr(close + 1));
  std::string field;
  for (int index = 3; fields >> field; ++index) {
    if (index == 22) return field;
  }
  return std::nullopt;
}

std::vector<std::string> Split(std::string_view text, char separator) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const auto end = text.find(separator, start);
    parts.emplace_back(text.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

}  // namespace

std::string LinuxProcessProbe::SelfTag() {
  const std::string pid = std::to_string(getpid());
  return HostName() + "/" + ReadFirstLine("/proc/sys/kernel/random/boot_id") + "/" + pid + "/" +
         StartTicks(pid).value_or("0");
}

bool LinuxProcessProbe::IsDeadLocalProcess(std::string_view tag) {
  const auto parts = Split(tag, '/');
  if (parts.size() != 4) return false;
  const std::string& host = parts[0];
  const std::string& boot = parts[1];
  const std::string& pid = parts[2];
  const std::string& ticks = parts[3];
  long long pid_value = 0;
  const auto [end, ec] = std::from_chars(pid.data(), pid.data() + pid.size(), pid_value);
  if (ec != std::errc() || end != pid.data() + pid.size() || pid_value <= 0) return false;
  if (host != HostName() || boot.empty() ||
      boot != ReadFirstLine("/proc/sys/kernel/random/boot_id")) {
    return false;  // another machine, or a boot we cannot see into: the lease decides
  }
  if (pid_value == getpid()) return false;
  const auto current = StartTicks(pid);
  return !current || *current != ticks;  // gone, or the pid was reused by another process
}

LinuxProcessProbe& LinuxProcessProbe::Instance() {
  static LinuxProcessProbe probe;
  return probe;
}

std::string TagRotationId(std::string_view rotation_id, std::string_view tag) {
  const auto at = rotation_id.find('@');
  std::string out(rotation_id.substr(0, at));
  out += '@';
  out += tag;
  return out;
}

std::optional<std::string> OwnerTagOf(std::string_view rotation_id) {
  const auto at = rotation_id.find('@');
  if (at == std::string_view::npos || at + 1 >= rotation_id.size()) return std::nullopt;
  return std::string(rotation_id.substr(at + 1));
}

}  // namespace dbtrotate::rotation
