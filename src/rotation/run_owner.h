#ifndef DBTROTATE_ROTATION_RUN_OWNER_H_
#define DBTROTATE_ROTATION_RUN_OWNER_H_

// Who wrote a rotation lock. A rotation id carries its run's owner tag
// ("<uuid>@<host>/<boot id>/<pid>/<start ticks>"), so a rerun on the same machine can tell a
// run that crashed or was killed from one that is still working, and resume at once instead
// of waiting out the lease. Runs on other machines are never judged: for them the lease
// decides, as before.

#include <optional>
#include <string>
#include <string_view>

namespace dbtrotate::rotation {

class ProcessProbe {
 public:
  virtual ~ProcessProbe() = default;
  /// This process's owner tag.
  virtual std::string SelfTag() = 0;
  /// True only when `tag` names a process of this machine and boot that no longer runs (or
  /// whose pid now belongs to another process). Unknown, foreign or malformed tags: false.
  virtual bool IsDeadLocalProcess(std::string_view tag) = 0;
};

/// Linux: host name, /proc/sys/kernel/random/boot_id, pid and /proc/<pid>/stat start time.
class LinuxProcessProbe final : public ProcessProbe {
 public:
  std::string SelfTag() override;
  bool IsDeadLocalProcess(std::string_view tag) override;
  static LinuxProcessProbe& Instance();
};

/// "<base>@<tag>"; any owner tag already on `rotation_id` is replaced.
std::string TagRotationId(std::string_view rotation_id, std::string_view tag);
/// The owner tag of a rotation id, if it has one.
std::optional<std::string> OwnerTagOf(std::string_view rotation_id);

}  // namespace dbtrotate::rotation

#endif  // DBTROTATE_ROTATION_RUN_OWNER_H_
