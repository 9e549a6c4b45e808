#pragma once
// What document commands share: a logged-in member whose device has taken in every waiting
// message (document keys arrive that way), with a DocumentBook over the same state.

#include <memory>

#include "client-cli/commands/messaging.h"
#include "client-cli/lib/documents.h"

namespace mentorlink::client::commands {

struct DocumentSession {
  std::unique_ptr<Messaging> messaging;
  std::unique_ptr<DocumentBook> book;

  Connection& connection() { return *messaging->session.connection; }
  std::int64_t me() const { return messaging->session.config.member_id; }
};

// Chat messages received on the way are saved to history, and a line on stderr says so.
Result<DocumentSession> open_documents(Context& ctx);

boost::json::object document_json(const DocumentText& doc);
// "Agenda for meeting 3, version 2, written by you on 2026-11-27 12:00 UTC" and the text.
void print_document(Output& output, const std::string& title, const DocumentText& doc);

}  // namespace mentorlink::client::commands
