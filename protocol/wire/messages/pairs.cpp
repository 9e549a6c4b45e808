#include "protocol/wire/messages/pairs.h"

namespace mentorlink::wire::messages {
namespace json = boost::json;

json::object PairResult::encode() const { return {{"pair", pair.encode()}}; }

Result<PairResult> PairResult::decode(const json::object& o) {
  FieldReader in(o);
  PairResult v;
  v.pair = in.object<PairView>("pair");
  return finish(in, std::move(v));
}

json::object PairCreateRequest::encode() const {
  return {{"programme", programme}, {"mentor", mentor}, {"mentee", mentee}};
}

Result<PairCreateRequest> PairCreateRequest::decode(const json::object& o) {
  FieldReader in(o);
  PairCreateRequest v;
  v.programme = in.integer("programme", 1, kMaxId);
  v.mentor = in.integer("mentor", 1, kMaxId);
  v.mentee = in.integer("mentee", 1, kMaxId);
  return finish(in, v);
}

json::object PairListResult::encode() const { return {{"pairs", encode_all(pairs)}}; }

Result<PairListResult> PairListResult::decode(const json::object& o) {
  FieldReader in(o);
  PairListResult v;
  v.pairs = in.list<PairView>("pairs", kMaxPairsPerList);
  return finish(in, std::move(v));
}

json::object PairListRequest::encode() const {
  json::object o;
  if (programme) o["programme"] = *programme;
  return o;
}

Result<PairListRequest> PairListRequest::decode(const json::object& o) {
  FieldReader in(o);
  PairListRequest v;
  v.programme = in.optional_integer("programme", 1, kMaxId);
  return finish(in, v);
}

json::object PairEndRequest::encode() const { return {{"pair", pair}}; }

Result<PairEndRequest> PairEndRequest::decode(const json::object& o) {
  FieldReader in(o);
  PairEndRequest v;
  v.pair = in.integer("pair", 1, kMaxId);
  return finish(in, v);
}

}  // namespace mentorlink::wire::messages
