// agenda, goals, feedback, reflection: set (write a new version) and show.
#include <ostream>

#include "client-cli/commands/commands.h"
#include "client-cli/commands/document_session.h"
#include "client-cli/lib/text_input.h"

namespace mentorlink::client::commands {
namespace json = boost::json;
using wire::DocumentKind;
using wire::ErrorCode;

namespace {

// Starting points offered in the editor when a document is new.
constexpr const char* kAgendaStart =
    "# Agenda\n\n## Since last time\n\n## What I want to talk about\n1. \n\n## Where I would like your help\n";
constexpr const char* kGoalsStart = "# Learning goals\n1. \n\n# Action items\n- [ ] \n";
constexpr const char* kFeedbackStart = "# Feedback\n\n## What worked well\n\n## What I would change\n";
// The mentor exercise from the practice this product grew from.
constexpr const char* kReflectionStart =
    "# My reflection (private: only my own devices can read this)\n\n"
    "## Three ways I am a good role model\n1. \n2. \n3. \n\n"
    "## Three ways I am not a good role model\n1. \n2. \n3. \n\n"
    "## How I will use this as a mentor\n";

const char* starting_text(DocumentKind kind) {
  switch (kind) {
    case DocumentKind::agenda: return kAgendaStart;
    case DocumentKind::goals: return kGoalsStart;
    case DocumentKind::feedback: return kFeedbackStart;
    case DocumentKind::reflection: return kReflectionStart;
    case DocumentKind::contract: return "";
  }
  return "";
}

std::string title(DocumentKind kind, std::optional<std::int64_t> meeting, bool mine) {
  const std::string m = meeting ? std::to_string(*meeting) : "?";
  switch (kind) {
    case DocumentKind::agenda: return "Agenda for meeting " + m;
    case DocumentKind::goals: return "Learning goals and action items";
    case DocumentKind::feedback: return std::string(mine ? "Your feedback" : "Your partner's feedback") + " on meeting " + m;
    case DocumentKind::reflection: return "Your private reflection";
    case DocumentKind::contract: return "Contract";
  }
  return "Document";
}

Status need_meeting(DocumentKind kind, const DocumentOptions& o) {
  const bool per_meeting = kind == DocumentKind::agenda || kind == DocumentKind::feedback;
  if (per_meeting && !o.meeting) {
    return Status::error(ErrorCode::missing_field,
                         std::string(wire::to_string(kind)) + " belongs to a meeting: add --meeting ID (see mentorlink meeting list " +
                             std::to_string(o.pair) + ")",
                         "meeting");
  }
  return Status::ok();
}

}  // namespace

int document_set(Context& ctx, std::string_view kind_name, const DocumentOptions& o) {
  const DocumentKind kind = *wire::document_kind_from_string(kind_name);
  if (auto s = need_meeting(kind, o); !s.is_ok()) return ctx.output.failure(s);
  auto session = open_documents(ctx);
  if (!session.is_ok()) return ctx.output.failure(session.status());
  auto& book = *session.value().book;
  auto info = book.open({o.pair, kind, o.meeting});
  if (!info.is_ok()) return ctx.output.failure(info.status());
  auto current = book.read(info.value());
  if (!current.is_ok()) return ctx.output.failure(current.status());
  auto text = session.value().messaging->while_unlocked([&] {
    return read_new_text({o.source.text, o.source.file, ctx.home.dir()},
                         current.value().version > 0 ? current.value().text : starting_text(kind));
  });
  if (!text.is_ok()) return ctx.output.failure(text.status());
  auto written = book.write(info.value(), current.value().version, text.value());
  session.value().connection().close();
  if (!written.is_ok()) return ctx.output.failure(written.status());
  if (ctx.output.json) return ctx.output.json_result(document_json(written.value()));
  ctx.output.out << title(kind, o.meeting, true) << ": saved version " << written.value().version
                 << (kind == DocumentKind::reflection ? " (only your devices can read it).\n"
                                                      : ", end-to-end encrypted for you and your partner.\n");
  return kExitOk;
}

int document_show(Context& ctx, std::string_view kind_name, const DocumentOptions& o) {
  const DocumentKind kind = *wire::document_kind_from_string(kind_name);
  if (auto s = need_meeting(kind, o); !s.is_ok()) return ctx.output.failure(s);
  auto session = open_documents(ctx);
  if (!session.is_ok()) return ctx.output.failure(session.status());
  auto& book = *session.value().book;
  const auto me = session.value().me();

  auto docs = book.list({o.pair, kind, o.meeting});  // feedback: one per author; else at most one
  if (!docs.is_ok()) return ctx.output.failure(docs.status());
  for (const auto& note : book.older_documents()) {
    if (!ctx.output.json) ctx.output.err << "mentorlink: " << note << "\n";
  }
  std::vector<DocumentText> texts;
  for (const auto& d : docs.value()) {
    auto t = book.read(d);
    if (!t.is_ok()) return ctx.output.failure(t.status());
    texts.push_back(std::move(t.value()));
  }
  session.value().connection().close();

  if (ctx.output.json) {
    json::array out;
    for (const auto& t : texts) out.push_back(document_json(t));
    return ctx.output.json_result(json::object{{"documents", std::move(out)}});
  }
  if (texts.empty()) {
    ctx.output.out << title(kind, o.meeting, true) << ": nothing written yet.\n";
    return kExitOk;
  }
  for (const auto& t : texts) {
    print_document(ctx.output, title(kind, o.meeting, t.info.owner ? *t.info.owner == me : t.mine), t);
    if (&t != &texts.back()) ctx.output.out << "\n";
  }
  return kExitOk;
}

}  // namespace mentorlink::client::commands
