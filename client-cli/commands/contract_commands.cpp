// contract draft, edit, show, sign, status.
#include <ctime>
#include <ostream>

#include "client-cli/commands/commands.h"
#include "client-cli/commands/document_session.h"
#include "client-cli/lib/text_input.h"
#include "protocol/wire/messages/documents.h"
#include "protocol/wire/messages/pairs.h"
#include "protocol/wire/messages/programmes.h"

namespace mentorlink::client::commands {
namespace json = boost::json;
namespace msg = wire::messages;
using wire::DocumentKind;
using wire::ErrorCode;

namespace {

constexpr std::string_view kDefaultTemplateName = "Mentoring contract";

void replace_all(std::string& text, std::string_view from, const std::string& to) {
  for (std::size_t pos = text.find(from); pos != std::string::npos; pos = text.find(from, pos + to.size())) {
    text.replace(pos, from.size(), to);
  }
}

std::string today_utc() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

// The template's text with the pair's names, the programme and today's date filled in.
Result<std::string> text_from_template(Connection& connection, std::int64_t pair_id, std::optional<std::int64_t> chosen) {
  auto pairs = connection.call(msg::PairListRequest{});
  if (!pairs.is_ok()) return pairs.status();
  const msg::PairView* pair = nullptr;
  for (const auto& p : pairs.value().pairs) {
    if (p.id == pair_id) pair = &p;
  }
  if (pair == nullptr) return Status::error(ErrorCode::not_found, "you are in no pair " + std::to_string(pair_id), "pair");
  const auto programme = pair->programme;
  std::int64_t template_id = 0;
  if (chosen) {
    template_id = *chosen;
  } else {
    auto list = connection.call(msg::TemplateListRequest{programme});
    if (!list.is_ok()) return list.status();
    for (const auto& t : list.value().templates) {
      if (template_id == 0 || t.name == kDefaultTemplateName) template_id = t.id;
    }
    if (template_id == 0) {
      return Status::error(ErrorCode::not_found, "programme " + std::to_string(programme) +
                                                     " has no contract template; ask a coordinator to publish one, or "
                                                     "draft from a file with --file");
    }
  }
  auto t = connection.call(msg::TemplateGetRequest{template_id});
  if (!t.is_ok()) return t.status();
  if (!t.value().template_.text) {
    return unreadable_reply(msg::TemplateGetRequest::kType,
                            Status::error(ErrorCode::missing_field, "field \"template.text\" is required", "template.text"));
  }
  std::string text = *t.value().template_.text;
  std::string programme_name = "programme " + std::to_string(programme);
  auto programmes = connection.call(msg::ProgrammeListRequest{});
  if (!programmes.is_ok()) return programmes.status();
  for (const auto& p : programmes.value().programmes) {
    if (p.id == programme) programme_name = p.name;
  }
  replace_all(text, "{{mentor}}", pair->mentor.name);
  replace_all(text, "{{mentee}}", pair->mentee.name);
  replace_all(text, "{{programme}}", programme_name);
  replace_all(text, "{{date}}", today_utc());
  return normalise_text(text);
}

std::string state_sentence(std::string_view state) {
  if (state == "none") return "no contract yet";
  if (state == "draft") return "draft, not signed";
  if (state == "signed_by_one") return "signed by one of you";
  return "signed by both of you";
}

json::object contract_json(const msg::ContractView& contract, const DocumentBook::Signers& signers) {
  json::object o = contract.encode();
  o["verified"] = json::object{{"me", signers.me}, {"partner", signers.partner}};
  return o;
}

void print_contract_state(Output& output, const msg::ContractView& contract, const DocumentBook::Signers& signers) {
  const auto& state = contract.state;
  auto& out = output.out;
  out << "Contract status: " << state_sentence(state);
  if (contract.signed_at) out << " on " << format_time(*contract.signed_at);
  out << ".\n";
  if (state == "none") return;
  out << "  your signature:    " << (signers.me ? "signed (verified on this device)" : "not signed") << "\n"
      << "  partner signature: " << (signers.partner ? "signed (verified on this device)" : "not signed") << "\n";
}

// The contract's text as this device verified it, the server's status, and whose signatures verify.
struct ContractView {
  DocumentText text;
  msg::ContractView status;
  DocumentBook::Signers signers;
};

Result<ContractView> load_contract(DocumentSession& session, std::int64_t pair) {
  ContractView v;
  auto status = session.connection().call(msg::ContractStatusRequest{pair});
  if (!status.is_ok()) return status.status();
  if (status.value().contract.pair != pair) {
    return unreadable_reply(msg::ContractStatusRequest::kType,
                            Status::error(ErrorCode::invalid_field, "it is about another pair", "contract.pair"));
  }
  v.status = std::move(status.value().contract);
  auto found = session.book->find(pair, DocumentKind::contract, std::nullopt);
  if (!found.is_ok()) return found.status();
  if (!found.value()) return v;
  auto text = session.book->read(*found.value());
  if (!text.is_ok()) return text.status();
  v.text = std::move(text.value());
  auto signers = session.book->verified_signers(v.status, v.text);
  if (!signers.is_ok()) return signers.status();
  v.signers = signers.value();
  return v;
}

}  // namespace

int contract_draft(Context& ctx, const ContractDraftOptions& o) {
  auto session = open_documents(ctx);
  if (!session.is_ok()) return ctx.output.failure(session.status());
  auto& book = *session.value().book;
  auto info = book.open(o.pair, DocumentKind::contract, std::nullopt);
  if (!info.is_ok()) return ctx.output.failure(info.status());
  auto current = book.read(info.value());
  if (!current.is_ok()) return ctx.output.failure(current.status());
  if (current.value().version > 0) {
    return ctx.output.failure(Status::error(
        ErrorCode::conflict,
        "pair " + std::to_string(o.pair) + " already has a contract (version " + std::to_string(current.value().version) +
            "); change it with mentorlink contract edit " + std::to_string(o.pair)));
  }
  auto text = (o.source.text || o.source.file) ? read_new_text({o.source.text, o.source.file}, "")
                                               : text_from_template(session.value().connection(), o.pair, o.template_id);
  if (!text.is_ok()) return ctx.output.failure(text.status());
  auto written = book.write(info.value(), 0, text.value());
  session.value().connection().close();
  if (!written.is_ok()) return ctx.output.failure(written.status());
  if (ctx.output.json) return ctx.output.json_result(document_json(written.value()));
  ctx.output.out << "Drafted the contract for pair " << o.pair << " (version 1). Read it with mentorlink contract show "
                 << o.pair << ", change it with mentorlink contract edit " << o.pair
                 << ", and sign it with mentorlink contract sign " << o.pair << ".\n";
  return kExitOk;
}

int contract_edit(Context& ctx, const DocumentOptions& o) {
  auto session = open_documents(ctx);
  if (!session.is_ok()) return ctx.output.failure(session.status());
  auto& book = *session.value().book;
  auto found = book.find(o.pair, DocumentKind::contract, std::nullopt);
  if (!found.is_ok()) return ctx.output.failure(found.status());
  if (!found.value()) {
    return ctx.output.failure(Status::error(ErrorCode::not_found, "pair " + std::to_string(o.pair) +
                                                                      " has no contract yet; start one with mentorlink contract draft " +
                                                                      std::to_string(o.pair)));
  }
  auto current = book.read(*found.value());
  if (!current.is_ok()) return ctx.output.failure(current.status());
  auto text = read_new_text({o.source.text, o.source.file}, current.value().text);
  if (!text.is_ok()) return ctx.output.failure(text.status());
  auto written = book.write(*found.value(), current.value().version, text.value());
  session.value().connection().close();
  if (!written.is_ok()) return ctx.output.failure(written.status());
  if (ctx.output.json) return ctx.output.json_result(document_json(written.value()));
  ctx.output.out << "Saved version " << written.value().version << " of the contract. It is a new draft: earlier "
                 << "signatures no longer count, and both of you sign this version (mentorlink contract sign " << o.pair
                 << ").\n";
  return kExitOk;
}

int contract_show(Context& ctx, std::int64_t pair) {
  auto session = open_documents(ctx);
  if (!session.is_ok()) return ctx.output.failure(session.status());
  auto view = load_contract(session.value(), pair);
  session.value().connection().close();
  if (!view.is_ok()) return ctx.output.failure(view.status());
  const auto& v = view.value();
  if (ctx.output.json) {
    auto o = document_json(v.text);
    o["contract"] = contract_json(v.status, v.signers);
    return ctx.output.json_result(o);
  }
  print_document(ctx.output, "Contract of pair " + std::to_string(pair), v.text);
  ctx.output.out << "\n";
  print_contract_state(ctx.output, v.status, v.signers);
  return kExitOk;
}

int contract_sign(Context& ctx, std::int64_t pair, std::optional<std::int64_t> version) {
  auto session = open_documents(ctx);
  if (!session.is_ok()) return ctx.output.failure(session.status());
  auto& book = *session.value().book;
  auto found = book.find(pair, DocumentKind::contract, std::nullopt);
  if (!found.is_ok()) return ctx.output.failure(found.status());
  if (!found.value() || found.value()->latest_version == 0) {
    return ctx.output.failure(Status::error(ErrorCode::not_found, "pair " + std::to_string(pair) + " has no contract to sign"));
  }
  auto current = book.read(*found.value());
  if (!current.is_ok()) return ctx.output.failure(current.status());
  const auto to_sign = static_cast<std::uint32_t>(version.value_or(current.value().version));
  auto signed_result = book.sign_contract(current.value(), to_sign);
  if (!signed_result.is_ok()) return ctx.output.failure(signed_result.status());
  const auto& status = signed_result.value();
  auto signers = book.verified_signers(status, current.value());
  session.value().connection().close();
  if (!signers.is_ok()) return ctx.output.failure(signers.status());
  if (ctx.output.json) return ctx.output.json_result(json::object{{"contract", contract_json(status, signers.value())}});
  ctx.output.out << "You signed version " << to_sign << " of the contract.\n";
  print_contract_state(ctx.output, status, signers.value());
  return kExitOk;
}

int contract_status(Context& ctx, std::int64_t pair) {
  auto session = open_documents(ctx);
  if (!session.is_ok()) return ctx.output.failure(session.status());
  auto view = load_contract(session.value(), pair);
  session.value().connection().close();
  if (!view.is_ok()) return ctx.output.failure(view.status());
  if (ctx.output.json) return ctx.output.json_result(json::object{{"contract", contract_json(view.value().status, view.value().signers)}});
  print_contract_state(ctx.output, view.value().status, view.value().signers);
  return kExitOk;
}

}  // namespace mentorlink::client::commands
