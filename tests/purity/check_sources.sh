#!/usr/bin/env bash
# Fails (listing each hit) if src/ includes or calls anything that does I/O, reads clocks or the
# environment, starts threads, or throws. snprintf/strtod (pure formatting) are allowed.
set -euo pipefail
src=${1:?src dir}
pattern='#include *<(thread|mutex|condition_variable|future|atomic|fstream|iostream|istream|ostream|filesystem|chrono|ctime|time\.h|unistd\.h|fcntl\.h|sys/[a-z_]+\.h|netinet/[a-z_]+\.h|arpa/[a-z_]+\.h|netdb\.h|curl/curl\.h|libpq-fe\.h|random|csignal|signal\.h)>'
calls='\b(getenv|secure_getenv|fopen|freopen|fread|fwrite|fprintf|printf|puts|fputs|putchar|getchar|scanf|perror|std::cout|std::cerr|std::clog|socket|connect|bind|listen|accept|recv|send|time|clock|gettimeofday|clock_gettime|rand|srand|random_device|system|popen|exit|throw)\b *\('
# Exceptions: the words as code, not inside string literals ("throw" may be data, e.g. a list of
# C++ keywords) nor in comments.
strip_literals() { sed -E 's/"([^"\\]|\\.)*"/""/g'; }
hits=$( { grep -rnE "$pattern" "$src" || true; grep -rnE "$calls" "$src" | grep -vE '^\S+:\s*//' || true; grep -rnE '\b(throw|try *\{|catch *\()' "$src" | strip_literals | grep -E '\b(throw|try *\{|catch *\()' | grep -vE '//.*\b(throw|try|catch)\b' || true; } )
if [ -n "$hits" ]; then
  echo "src/ must stay pure; offending lines:"
  echo "$hits"
  exit 1
fi
echo "src/ is pure: $(find "$src" -name '*.cpp' -o -name '*.h' | wc -l) files scanned"
