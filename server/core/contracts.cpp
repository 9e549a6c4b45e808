#include "server/core/contracts.h"

#include "server/core/refusals.h"

namespace mentorlink::server {
using wire::ErrorCode;
using wire::Result;
using wire::Status;

std::string_view to_string(ContractState state) noexcept {
  switch (state) {
    case ContractState::none: return "none";
    case ContractState::draft: return "draft";
    case ContractState::signed_by_one: return "signed_by_one";
    case ContractState::signed_by_both: return "signed";
  }
  return "none";
}

ContractStatus contract_status_of(const ContractRecord& contract) {
  ContractStatus out;
  out.document = contract.document;
  out.version = contract.version;
  if (!contract.document || contract.version == 0) return out;  // opened, nothing written yet: still none
  out.version_hash = contract.version_hash;
  out.signatures = contract.signatures;
  out.state = out.signatures.empty()       ? ContractState::draft
              : out.signatures.size() == 1 ? ContractState::signed_by_one
                                           : ContractState::signed_by_both;
  if (out.state == ContractState::signed_by_both) out.signed_at = out.signatures.back().signed_at;
  return out;
}

Status may_sign(const DocumentRecord& document) {
  if (document.kind != wire::DocumentKind::contract) {
    return Status::error(ErrorCode::invalid_field, "only a contract can be signed", "document");
  }
  return Status::ok();
}

Result<ContractStatus> sign_contract(Store& store, const DocumentRecord& contract, std::int64_t version,
                                     MemberId member, const wire::Signature& signature, TimeMs now) {
  if (auto s = may_sign(contract); !s.is_ok()) return s;
  return all_or_nothing<ContractStatus>(store, [&]() -> Result<ContractStatus> {
    auto added = accepted(store.add_contract_signature(contract.id, version, member, signature, now));
    if (!added.is_ok()) return added.status();
    auto record = store.contract(contract.id);
    if (!record.is_ok()) return record.status();
    auto status = contract_status_of(record.value());
    status.signature_added = added.value();
    return status;
  });
}

Result<ContractStatus> contract_status(DocumentStore& store, PairId pair) {
  auto record = store.contract_of_pair(pair);
  if (!record.is_ok()) return record.status();
  return contract_status_of(record.value());
}

}  // namespace mentorlink::server
