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
# The sanitizer build (ASan + UBSan) stops at the first out-of-bounds access,
# use-after-free or undefined behaviour, and reports leaks: every block a
# program or a test allocates is freed on every path that returns normally,
# so that a leak in a training loop cannot hide among the ones at exit.
# (A program that stops through die() leaves its memory to exit: still
# reachable from the stack, LeakSanitizer does not count it.) A leak is
# reported with its stack and the program exits 1 instead of 0, which fails
# the test that ran it. tests/lsan.supp names the leaks of third-party
# libraries that are not ours to fix (clang's OpenMP runtime after fork()).
# Options already in the environment come last and win.
export ASAN_OPTIONS="detect_leaks=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export LSAN_OPTIONS="suppressions='$PWD/tests/lsan.supp':print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"

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
