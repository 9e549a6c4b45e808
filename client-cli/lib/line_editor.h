#pragma once
// Reading chat lines from the terminal while other output arrives. On a terminal: raw mode with
// line editing (←/→, Home/End, Backspace, Delete, Ctrl-A/E/U/W) and history (↑/↓); from a pipe:
// plain lines. Single-threaded: call everything from the thread that polls stdin. The terminal
// is restored on destruction.

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace mentorlink::client {

class LineEditor {
 public:
  // on_line receives each line entered, or nullopt at end of input (Ctrl-D on an empty line).
  LineEditor(std::string prompt, std::function<void(std::optional<std::string>)> on_line);
  ~LineEditor();
  LineEditor(const LineEditor&) = delete;
  LineEditor& operator=(const LineEditor&) = delete;

  // stdin is readable: consume what is there.
  void on_readable();
  // Prints text (ending in a newline) above the line being typed, which stays as it was.
  void print_above(const std::string& text);

 private:
  void key(const std::string& bytes, std::size_t& i);
  void redraw();
  void submit();

  std::string prompt_;
  std::function<void(std::optional<std::string>)> on_line_;
  bool terminal_ = false;
  struct Saved;
  Saved* saved_ = nullptr;  // the terminal settings to restore
  std::string line_;        // the line being edited (UTF-8)
  std::size_t point_ = 0;   // cursor, a byte offset at a character boundary
  std::vector<std::string> history_;
  std::size_t history_pos_ = 0;
  std::string pending_;  // bytes of an incomplete escape sequence or, from a pipe, an incomplete line
};

}  // namespace mentorlink::client
