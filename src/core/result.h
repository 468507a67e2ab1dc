#ifndef DBTROTATE_CORE_RESULT_H_
#define DBTROTATE_CORE_RESULT_H_

// Result<T, E>: a value or a typed error, the subset of std::expected we use.
// We do not use std::expected itself because clang-tidy 14 (Debian 12) cannot parse
// libstdc++'s <expected>; the member names match so a later switch is mechanical.

#include <cassert>
#include <type_traits>
#include <utility>
#include <variant>

namespace dbtrotate {

template <class E>
struct Unexpected {
  E error;
};

/// Wraps an error so it converts into any Result<T, E>: `return Fail(Error{...});`
template <class E>
Unexpected<std::decay_t<E>> Fail(E&& error) {
  return Unexpected<std::decay_t<E>>{std::forward<E>(error)};
}

template <class T, class E>
class [[nodiscard]] Result {
 public:
  using value_type = T;
  using error_type = E;

  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit
  template <class G>
  Result(Unexpected<G> failure)  // NOLINT: implicit by design
      : state_(std::in_place_index<1>, E(std::move(failure.error))) {}

  bool has_value() const { return state_.index() == 0; }
  explicit operator bool() const { return has_value(); }

  T& value() & {
    assert(has_value());
    return std::get<0>(state_);
  }
  const T& value() const& {
    assert(has_value());
    return std::get<0>(state_);
  }
  T&& value() && {
    assert(has_value());
    return std::get<0>(std::move(state_));
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  E& error() & {
    assert(!has_value());
    return std::get<1>(state_);
  }
  const E& error() const& {
    assert(!has_value());
    return std::get<1>(state_);
  }
  E&& error() && {
    assert(!has_value());
    return std::get<1>(std::move(state_));
  }

 private:
  std::variant<T, E> state_;
};

/// Result of an operation that yields nothing but may fail.
template <class E>
class [[nodiscard]] Result<void, E> {
 public:
  using value_type = void;
  using error_type = E;

  Result() = default;
  template <class G>
  Result(Unexpected<G> failure)  // NOLINT: implicit by design
      : error_(E(std::move(failure.error))), failed_(true) {}

  bool has_value() const { return !failed_; }
  explicit operator bool() const { return has_value(); }
  E& error() & {
    assert(failed_);
    return error_;
  }
  const E& error() const& {
    assert(failed_);
    return error_;
  }
  E&& error() && {
    assert(failed_);
    return std::move(error_);
  }

 private:
  E error_{};
  bool failed_ = false;
};

}  // namespace dbtrotate

#endif  // DBTROTATE_CORE_RESULT_H_
