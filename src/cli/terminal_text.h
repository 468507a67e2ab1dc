#ifndef DBTROTATE_CLI_TERMINAL_TEXT_H_
#define DBTROTATE_CLI_TERMINAL_TEXT_H_

// Text we print to a terminal carries names and messages that dbt Cloud, AWS or the user
// supplied. A newline could forge a "rotated:" line, an ESC or OSC sequence could rewrite the
// screen or the window title. Everything printed as text goes through TerminalSafe; JSON output
// does not need it (nlohmann escapes every control character).

#include <cstdio>
#include <string>
#include <string_view>

namespace dbtrotate::cli {

/// `text` with every byte a terminal could act on made visible: C0 controls, DEL and NUL as
/// `\n`, `\r`, `\t`, `\x1b`, `\x7f`, `\x00`; C1 controls and Unicode line separators or bidi
/// overrides as `\u009b`, `\u202e`; bytes that are not valid UTF-8 as `\xff`. Printable UTF-8
/// (accents, CJK, emoji) stays as it is.
std::string TerminalSafe(std::string_view text);

/// Prints "dbt-rotate: <message>\n" with the message made TerminalSafe.
void PrintMessage(std::FILE* stream, std::string_view message);

/// Prints one line made TerminalSafe, then "\n".
void PrintLine(std::FILE* stream, std::string_view line);

}  // namespace dbtrotate::cli

#endif  // DBTROTATE_CLI_TERMINAL_TEXT_H_
