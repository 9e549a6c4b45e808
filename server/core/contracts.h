#pragma once
// A pair's contract (PRODUCT.md, "Decisions"): its state follows from the signatures on its latest
// version: none before anything is written, then draft, signed by one, signed by both. Only a
// contract can be signed, and only its latest version.

#include <optional>
#include <string_view>
#include <vector>

#include "protocol/wire/status.h"
#include "server/store/store.h"

namespace mentorlink::server {

enum class ContractState { none, draft, signed_by_one, signed_by_both };
std::string_view to_string(ContractState state) noexcept;

struct ContractStatus {
  ContractState state = ContractState::none;
  std::optional<DocumentId> document;
  std::int64_t version = 0;
  wire::Hash version_hash{};
  std::vector<ContractSignatureRecord> signatures;  // on the latest version only
  std::optional<TimeMs> signed_at;                  // when the second signature came
  bool signature_added = false;                     // sign_contract only: this call added one
};

ContractStatus contract_status_of(const ContractRecord& contract);

// invalid_field unless document is a contract.
wire::Status may_sign(const DocumentRecord& document);

// Records member's signature on version, which must be the contract's latest; signing the same
// version again changes nothing. The caller has verified the signature.
wire::Result<ContractStatus> sign_contract(Store& store, const DocumentRecord& contract, std::int64_t version,
                                           MemberId member, const wire::Signature& signature, TimeMs now);

// The pair's contract as it stands (state none if it has none).
wire::Result<ContractStatus> contract_status(DocumentStore& store, PairId pair);

}  // namespace mentorlink::server
