// Status macros: early return on a failed absl::Status or absl::StatusOr.
//
// Abseil 20220623 (Debian 12) ships Status and StatusOr but not these macros, so the project
// defines its own. Use them only in functions that themselves return Status or StatusOr.
#pragma once

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define COMBO_STATUS_CONCAT_INNER_(a, b) a##b
#define COMBO_STATUS_CONCAT_(a, b) COMBO_STATUS_CONCAT_INNER_(a, b)

// Returns the status of `expr` from the enclosing function if it is not OK.
#define COMBO_RETURN_IF_ERROR(expr)                                 \
  do {                                                              \
    if (absl::Status combo_status_ = (expr); !combo_status_.ok()) { \
      return combo_status_;                                         \
    }                                                               \
  } while (false)

// COMBO_ASSIGN_OR_RETURN(auto x, MakeX()); or COMBO_ASSIGN_OR_RETURN(x, MakeX());
// Evaluates the StatusOr once; returns its status if it failed, else moves its value into lhs.
#define COMBO_ASSIGN_OR_RETURN(lhs, expr) \
  COMBO_ASSIGN_OR_RETURN_IMPL_(COMBO_STATUS_CONCAT_(combo_statusor_, __LINE__), lhs, expr)

#define COMBO_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, expr)  \
  auto statusor = (expr);                                  \
  if (!statusor.ok()) return std::move(statusor).status(); \
  lhs = std::move(statusor).value()
