#pragma once
// pair.create, pair.list, pair.end (PROTOCOL.md §6 "Pairs").

#include <optional>
#include <vector>

#include "protocol/wire/messages/views.h"

namespace mentorlink::wire::messages {

// Pairs a client accepts in one pair.list answer.
inline constexpr std::size_t kMaxPairsPerList = 100'000;

struct PairResult {
  PairView pair;
  boost::json::object encode() const;
  static Result<PairResult> decode(const boost::json::object& o);
};

struct PairCreateRequest {
  static constexpr std::string_view kType = "pair.create";
  using Reply = PairResult;
  std::int64_t programme = 0;
  std::int64_t mentor = 0;
  std::int64_t mentee = 0;
  boost::json::object encode() const;
  static Result<PairCreateRequest> decode(const boost::json::object& o);
};

struct PairListResult {
  std::vector<PairView> pairs;
  boost::json::object encode() const;
  static Result<PairListResult> decode(const boost::json::object& o);
};

struct PairListRequest {
  static constexpr std::string_view kType = "pair.list";
  using Reply = PairListResult;
  std::optional<std::int64_t> programme;
  boost::json::object encode() const;
  static Result<PairListRequest> decode(const boost::json::object& o);
};

struct PairEndRequest {
  static constexpr std::string_view kType = "pair.end";
  using Reply = PairResult;
  std::int64_t pair = 0;
  boost::json::object encode() const;
  static Result<PairEndRequest> decode(const boost::json::object& o);
};

}  // namespace mentorlink::wire::messages
