#!/usr/bin/env bash
# tests/run-tests.sh — runs the Check test programs and closes with one line
# that adds up their counts.
#
#   tests/run-tests.sh build/rel/tests/test_a ... [-- build/asan/tests/test_a ...]
#
# Programs after "--" are the sanitizer build. Each program learns which
# build it belongs to from NN_VARIANT, so end-to-end tests run the chapter
# binaries of the same build (build/$NN_VARIANT/bin/...).
set -u
cd "$(dirname "$0")/.."

# The programs under test see no make around them (a comparison run by
# make, which draws next, does not print how to draw its figure).
unset MAKELEVEL
export CK_DEFAULT_TIMEOUT=${CK_DEFAULT_TIMEOUT:-1200}
# Leak reports are off: the chapter programs are one-shot tools that hand
# their memory back to the system at exit, and a "leak" there is no bug. The
# sanitizers' job here is out-of-bounds access, use-after-free and undefined
# behaviour, which stay fatal.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

passed=0 failed=0 skipped=0 broken=0
variant=rel
for prog in "$@"; do
  if [ "$prog" = "--" ]; then variant=asan; continue; fi
  echo "=== $prog"
  log=$(mktemp)
  NN_VARIANT=$variant "$prog" 2>&1 | tee "$log"
  status=${PIPESTATUS[0]}
  line=$(grep -E '^[0-9]+%: Checks: [0-9]+' "$log" | tail -n 1)
  if [ -z "$line" ]; then
    echo "!!! $prog exited $status without Check's summary line"
    broken=$((broken + 1))
  else
    checks=$(sed -E 's/.*Checks: ([0-9]+).*/\1/' <<<"$line")
    bad=$(sed -E 's/.*Failures: ([0-9]+), Errors: ([0-9]+).*/\1+\2/' <<<"$line")
    bad=$((bad))
    passed=$((passed + checks - bad))
    failed=$((failed + bad))
    [ "$status" -ne 0 ] && [ "$bad" -eq 0 ] && broken=$((broken + 1))
  fi
  skipped=$((skipped + $(grep -c '^SKIP:' "$log")))
  rm -f "$log"
done
failed=$((failed + broken))
passed=$((passed - skipped))  # a skipped test passes in Check; count it once, as skipped
echo "tests: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
