#include "client-cli/commands/document_session.h"

#include <ostream>

namespace mentorlink::client::commands {
namespace json = boost::json;

Result<DocumentSession> open_documents(Context& ctx) {
  auto m = open_messaging(ctx);
  if (!m.is_ok()) return m.status();
  auto synced = m.value()->messenger->sync();
  if (!synced.is_ok()) return synced.status();
  if (!ctx.output.json && !synced.value().received.empty()) {
    ctx.output.err << "mentorlink: " << synced.value().received.size()
                   << " new message(s) saved; mentorlink history PAIR shows them\n";
  }
  for (const auto& p : synced.value().problems) {
    if (!ctx.output.json) ctx.output.err << "mentorlink: pair " << p.pair << ": " << one_line(p.what) << "\n";
  }
  DocumentSession out;
  out.messaging = std::move(m.value());
  Messaging* raw = out.messaging.get();
  const Home home = ctx.home;
  out.book = std::make_unique<DocumentBook>(*raw->session.connection, raw->session.keys.identity,
                                            raw->session.config.member_id, raw->state,
                                            *raw->messenger,
                                            [raw, home] { return save_state(home, raw->session.keys.storage_key, raw->state); });
  if (auto s = out.book->share_pending(); !s.is_ok() && !ctx.output.json) {
    ctx.output.err << "mentorlink: a document key is still waiting to reach your partner: " << one_line(s.message()) << "\n";
  }
  return out;
}

json::object document_json(const DocumentText& doc) {
  json::object o;
  o["document"] = doc.info.id;
  o["pair"] = doc.info.pair;
  o["kind"] = wire::to_string(doc.info.kind);
  o["meeting"] = doc.info.meeting ? json::value(*doc.info.meeting) : json::value(nullptr);
  o["version"] = doc.version;
  if (doc.version > 0) {
    o["text"] = doc.text;
    o["from"] = doc.mine ? "me" : "partner";
    o["written_at"] = doc.written_at;
  } else {
    o["text"] = nullptr;
  }
  return o;
}

void print_document(Output& output, const std::string& title, const DocumentText& doc) {
  auto& out = output.out;
  if (doc.version == 0) {
    out << title << ": nothing written yet.\n";
    return;
  }
  out << title << ", version " << doc.version << ", written by " << (doc.mine ? "you" : "your partner") << " on "
      << format_time(doc.written_at) << " (signature and history verified)\n\n"
      << doc.text;
  if (!doc.text.empty() && doc.text.back() != '\n') out << "\n";
}

}  // namespace mentorlink::client::commands
