#include "aws/credentials/shell_split.h"

namespace dbtrotate::aws {

namespace {
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
}  // namespace

Result<std::vector<std::string>, std::string> ShellSplit(std::string_view command) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;  // "" is a word, so emptiness alone cannot tell
  std::size_t i = 0;
  while (i < command.size()) {
    char c = command[i];
    if (IsSpace(c)) {
      if (in_word) words.push_back(std::move(word));
      word.clear();
      in_word = false;
      ++i;
      continue;
    }
    in_word = true;
    if (c == '\\') {
      if (i + 1 >= command.size())
        return Fail(std::string("the command ends with a lone backslash"));
      word.push_back(command[i + 1]);
      i += 2;
    } else if (c == '\'') {
      std::size_t close = command.find('\'', i + 1);
      if (close == std::string_view::npos) return Fail(std::string("unterminated ' quote"));
      word.append(command.substr(i + 1, close - i - 1));
      i = close + 1;
    } else if (c == '"') {
      ++i;
      bool closed = false;
      while (i < command.size()) {
        char q = command[i];
        if (q == '"') {
          closed = true;
          ++i;
          break;
        }
        if (q == '\\' && i + 1 < command.size()) {
          char next = command[i + 1];
          if (next == '"' || next == '\\') {
            word.push_back(next);
            i += 2;
            continue;
          }
        }
        word.push_back(q);
        ++i;
      }
      if (!closed) return Fail(std::string("unterminated \" quote"));
    } else {
      word.push_back(c);
      ++i;
    }
  }
  if (in_word) words.push_back(std::move(word));
  return words;
}

}  // namespace dbtrotate::aws
