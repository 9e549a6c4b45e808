#include "client-cli/lib/line_editor.h"

#include <termios.h>
#include <unistd.h>

#include <iostream>
#include <utility>

namespace mentorlink::client {
namespace {

constexpr std::size_t kMaxHistory = 500;

bool continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

void write_out(const std::string& s) {
  std::size_t done = 0;
  while (done < s.size()) {
    const ssize_t n = ::write(STDOUT_FILENO, s.data() + done, s.size() - done);
    if (n <= 0) return;
    done += static_cast<std::size_t>(n);
  }
}

std::size_t columns_of(const std::string& s, std::size_t end) {
  std::size_t cols = 0;
  for (std::size_t i = 0; i < end && i < s.size(); ++i) {
    if (!continuation(s[i])) ++cols;
  }
  return cols;
}

}  // namespace

struct LineEditor::Saved {
  termios settings{};
};

LineEditor::LineEditor(std::string prompt, std::function<void(std::optional<std::string>)> on_line)
    : prompt_(std::move(prompt)), on_line_(std::move(on_line)), terminal_(isatty(STDIN_FILENO) != 0) {
  if (!terminal_) return;
  saved_ = new Saved;
  ::tcgetattr(STDIN_FILENO, &saved_->settings);
  termios raw = saved_->settings;
  raw.c_lflag &= ~static_cast<tcflag_t>(ICANON | ECHO | IEXTEN);
  raw.c_iflag &= ~static_cast<tcflag_t>(IXON | ICRNL);
  raw.c_cc[VMIN] = 1;
  raw.c_cc[VTIME] = 0;
  ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &raw);
  redraw();
}

LineEditor::~LineEditor() {
  if (saved_ != nullptr) {
    write_out("\r\x1b[2K");
    ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_->settings);
    delete saved_;
  }
}

void LineEditor::redraw() {
  if (!terminal_) return;
  std::string s = "\r\x1b[2K" + prompt_ + line_ + "\r";
  const std::size_t col = columns_of(prompt_, prompt_.size()) + columns_of(line_, point_);
  if (col > 0) s += "\x1b[" + std::to_string(col) + "C";
  write_out(s);
}

void LineEditor::print_above(const std::string& text) {
  if (!terminal_) {
    std::cout << text << std::flush;
    return;
  }
  std::string out = "\r\x1b[2K";
  for (char c : text) out += c == '\n' ? std::string("\r\n") : std::string(1, c);
  write_out(out);
  redraw();
}

void LineEditor::submit() {
  std::string line = std::exchange(line_, {});
  point_ = 0;
  write_out("\r\x1b[2K");
  if (!line.empty() && (history_.empty() || history_.back() != line)) {
    history_.push_back(line);
    if (history_.size() > kMaxHistory) history_.erase(history_.begin());
  }
  history_pos_ = history_.size();
  on_line_(std::move(line));
  redraw();
}

void LineEditor::key(const std::string& in, std::size_t& i) {
  const char c = in[i++];
  auto left = [&] {
    while (point_ > 0) {
      --point_;
      if (!continuation(line_[point_])) break;
    }
  };
  auto right = [&] {
    while (point_ < line_.size()) {
      ++point_;
      if (point_ == line_.size() || !continuation(line_[point_])) break;
    }
  };
  auto recall = [&](std::size_t pos) {
    history_pos_ = pos;
    line_ = pos < history_.size() ? history_[pos] : std::string();
    point_ = line_.size();
  };
  switch (c) {
    case '\r':
    case '\n': submit(); return;
    case 4:  // Ctrl-D: leave on an empty line, else delete forward
      if (line_.empty()) {
        on_line_(std::nullopt);
        return;
      }
      if (point_ < line_.size()) {
        std::size_t end = point_;
        do ++end; while (end < line_.size() && continuation(line_[end]));
        line_.erase(point_, end - point_);
      }
      break;
    case 127:
    case 8: {  // Backspace
      const std::size_t end = point_;
      left();
      line_.erase(point_, end - point_);
      break;
    }
    case 1: point_ = 0; break;             // Ctrl-A
    case 5: point_ = line_.size(); break;  // Ctrl-E
    case 21: line_.erase(0, point_); point_ = 0; break;  // Ctrl-U
    case 23: {  // Ctrl-W: delete the word before the cursor
      std::size_t start = point_;
      while (start > 0 && line_[start - 1] == ' ') --start;
      while (start > 0 && line_[start - 1] != ' ') --start;
      line_.erase(start, point_ - start);
      point_ = start;
      break;
    }
    case 16: if (history_pos_ > 0) recall(history_pos_ - 1); break;                // Ctrl-P
    case 14: if (history_pos_ < history_.size()) recall(history_pos_ + 1); break;  // Ctrl-N
    case 27: {  // escape sequences: arrows, Home, End, Delete
      if (i >= in.size()) {
        pending_ = "\x1b";
        return;
      }
      std::string seq;
      while (i < in.size()) {
        seq += in[i++];
        const char last = seq.back();
        if (seq.size() >= 2 && ((last >= 'A' && last <= 'Z') || last == '~')) break;
      }
      if (seq.size() < 2 || (seq[0] != '[' && seq[0] != 'O')) {
        if (i >= in.size()) pending_ = "\x1b" + seq;
        break;
      }
      const std::string code = seq.substr(1);
      if (code == "A") { if (history_pos_ > 0) recall(history_pos_ - 1); }
      else if (code == "B") { if (history_pos_ < history_.size()) recall(history_pos_ + 1); }
      else if (code == "C") right();
      else if (code == "D") left();
      else if (code == "H" || code == "1~") point_ = 0;
      else if (code == "F" || code == "4~") point_ = line_.size();
      else if (code == "3~" && point_ < line_.size()) {
        std::size_t end = point_;
        do ++end; while (end < line_.size() && continuation(line_[end]));
        line_.erase(point_, end - point_);
      }
      break;
    }
    default:
      if (static_cast<unsigned char>(c) >= 0x20) {
        line_.insert(point_, 1, c);
        ++point_;
      }
  }
  redraw();
}

void LineEditor::on_readable() {
  char buf[4096];
  const ssize_t n = ::read(STDIN_FILENO, buf, sizeof buf);
  if (n <= 0) {
    if (!terminal_ && !pending_.empty()) on_line_(std::exchange(pending_, {}));
    on_line_(std::nullopt);
    return;
  }
  std::string in = std::exchange(pending_, {}) + std::string(buf, static_cast<std::size_t>(n));
  if (!terminal_) {
    std::size_t nl = 0;
    while ((nl = in.find('\n')) != std::string::npos) {
      on_line_(in.substr(0, nl));
      in.erase(0, nl + 1);
    }
    pending_ = std::move(in);
    return;
  }
  for (std::size_t i = 0; i < in.size();) key(in, i);
}

}  // namespace mentorlink::client
