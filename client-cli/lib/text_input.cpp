#include "client-cli/lib/text_input.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

namespace mentorlink::client {
using wire::ErrorCode;
using wire::Status;

namespace {

wire::Result<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::error(ErrorCode::not_found, "cannot read " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Opens initial in $VISUAL/$EDITOR (vi if neither is set) and returns what was saved.
wire::Result<std::string> edit(const std::string& initial) {
  const char* editor = std::getenv("VISUAL");
  if (editor == nullptr || *editor == '\0') editor = std::getenv("EDITOR");
  if (editor == nullptr || *editor == '\0') editor = "vi";
  char path[] = "/tmp/mentorlink-XXXXXX.md";
  const int fd = mkstemps(path, 3);
  if (fd < 0) return Status::error(ErrorCode::internal, "cannot make a temporary file for the editor");
  close(fd);
  struct Remove {
    const char* p;
    ~Remove() {
      std::error_code ec;
      std::filesystem::remove(p, ec);
    }
  } remove_after{path};
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << initial;
  }
  const std::string command = std::string(editor) + " '" + path + "'";
  if (std::system(command.c_str()) != 0) {  // NOLINT(cert-env33-c): the member's own editor
    return Status::error(ErrorCode::internal, std::string("the editor (") + editor + ") did not exit cleanly; nothing was saved");
  }
  return read_file(path);
}

}  // namespace

std::string normalise_text(std::string text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') {
      out += '\n';
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else {
      out += text[i];
    }
  }
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ' || out.back() == '\t')) out.pop_back();
  if (!out.empty()) out += '\n';
  return out;
}

wire::Result<std::string> read_new_text(const TextSource& source, const std::string& initial) {
  std::string text;
  bool from_editor = false;
  if (source.text) {
    text = *source.text;
  } else if (source.file) {
    auto r = read_file(*source.file);
    if (!r.is_ok()) return r.status();
    text = std::move(r.value());
  } else if (isatty(STDIN_FILENO) != 0) {
    auto r = edit(initial);
    if (!r.is_ok()) return r.status();
    text = std::move(r.value());
    from_editor = true;
  } else {
    text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  }
  text = normalise_text(std::move(text));
  if (text.empty()) return Status::error(ErrorCode::invalid_field, "the text is empty; nothing was saved");
  if (from_editor && text == normalise_text(initial)) {
    return Status::error(ErrorCode::invalid_field, "nothing changed in the editor; nothing was saved");
  }
  return text;
}

}  // namespace mentorlink::client
