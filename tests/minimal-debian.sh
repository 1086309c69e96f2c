#!/usr/bin/env bash
# tests/minimal-debian.sh — the README's two commands on a fresh, minimal
# Debian 12, as a new user would meet them:
#
#   sudo bash tests/minimal-debian.sh [REPO]     (REPO: default, this repository)
#
# It builds a chroot of `debootstrap --variant=minbase bookworm`, adds only
# git and make, clones REPO's HEAD (committed work only) into it, and checks:
#   1. a user without root and without sudo who runs `make deps`, then `make`,
#      gets one line that says why nothing can be installed and the exact
#      command to run as root, and a non-zero exit;
#   2. root runs `make` (the main command: it installs the packages, builds,
#      fetches MNIST, runs every chapter, draws every figure) with no LANG set,
#      and gnuplot warns nothing;
#   3. root runs `make test`: its closing line says 0 failed;
#   4. with sudo installed but not granted, the user's `make deps` (no
#      terminal) says sudo needs a password and gives the root command; with
#      sudo granted (NOPASSWD), it installs through sudo.
# Not part of `make test`: it needs root, the network to Debian's archive and
# the npm registry, and about 20 minutes on 2 cores (see README.md, "A
# fresh, minimal machine").
#
# Environment: MINIMAL_ROOT (the chroot; default /var/tmp/nn-minimal-debian,
# removed first if there), DEBIAN_MIRROR (default http://deb.debian.org/debian),
# KEEP=1 keeps the chroot after a passing run (a failing run always keeps it,
# with its logs in $MINIMAL_ROOT.logs/).
set -u -o pipefail

REPO=$(cd "${1:-$(dirname "$0")/..}" && pwd) || exit 1
ROOT=${MINIMAL_ROOT:-/var/tmp/nn-minimal-debian}
LOGS=$ROOT.logs
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
START=$SECONDS
passed=0 failed=0

say() { echo "minimal-debian: $*"; }
die() { say "$*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "needs root (debootstrap, chroot, mount): run  sudo bash $0"
git -C "$REPO" rev-parse --verify -q HEAD >/dev/null || die "$REPO is not a git repository with a commit"
case "$ROOT" in /var/tmp/*|/tmp/*) ;; *) die "MINIMAL_ROOT=$ROOT: keep it under /var/tmp or /tmp";; esac

# The chroot's mounts go on every exit; the chroot itself stays on failure.
unmount_all() {
    local m
    for m in "$ROOT/src" "$ROOT/dev" "$ROOT/sys" "$ROOT/proc"; do
        mountpoint -q "$m" 2>/dev/null && umount -R "$m" 2>/dev/null
    done
    return 0
}
trap 'unmount_all' EXIT
trap 'unmount_all; trap - EXIT; exit 130' INT TERM HUP

# check NAME CONDITION-RESULT — count a check and say how it went.
check() {
    if [ "$2" = 0 ]; then passed=$((passed + 1)); say "ok    $1"
    else failed=$((failed + 1)); say "FAIL  $1"; fi
}
elapsed() { local s=$(( SECONDS - $1 )); printf '%dm%02ds' $((s / 60)) $((s % 60)); }

# in_root [--user NAME] CMD — run CMD with bash inside the chroot, as a fresh
# login would: a bare environment with no LANG and no terminal.
in_root() {
    local spec=() home=/root
    if [ "$1" = --user ]; then spec=(--userspec="$2:$2"); home=/home/$2; shift 2; fi
    setsid -w chroot "${spec[@]}" "$ROOT" /usr/bin/env -i HOME="$home" \
        PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        /bin/bash -c "cd ~ && $1" < /dev/null
}

# --- The minimal system --------------------------------------------------------
unmount_all
if [ -e "$ROOT" ]; then say "removing the previous $ROOT"; rm -rf --one-file-system "$ROOT" || exit 1; fi
rm -rf "$LOGS"; mkdir -p "$LOGS"
if ! command -v debootstrap >/dev/null; then
    say "installing debootstrap"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap; } \
        > "$LOGS/debootstrap-install.log" 2>&1 \
        || die "apt-get install debootstrap failed: $(tail -n1 "$LOGS/debootstrap-install.log")"
fi
t=$SECONDS
say "debootstrap --variant=minbase bookworm $ROOT"
debootstrap --variant=minbase bookworm "$ROOT" "$MIRROR" > "$LOGS/debootstrap.log" 2>&1 \
    || die "debootstrap failed: $(tail -n1 "$LOGS/debootstrap.log") (log: $LOGS/debootstrap.log)"
# The network as this host sees it: its resolver, and its local certificate
# authorities (a network that inspects HTTPS needs them; ca-certificates,
# once `make deps` installs it, adds them to the chroot's bundle).
cp /etc/resolv.conf "$ROOT/etc/resolv.conf" 2>/dev/null
if compgen -G '/usr/local/share/ca-certificates/*.crt' >/dev/null; then
    mkdir -p "$ROOT/usr/local/share/ca-certificates"
    cp /usr/local/share/ca-certificates/*.crt "$ROOT/usr/local/share/ca-certificates/"
fi
mount -t proc proc "$ROOT/proc" && mount -t sysfs sysfs "$ROOT/sys" && mount --rbind /dev "$ROOT/dev" \
    || die "cannot mount /proc, /sys and /dev in $ROOT"
mkdir -p "$ROOT/src" && mount --bind "$REPO" "$ROOT/src" && mount -o remount,bind,ro "$ROOT/src" \
    || die "cannot bind $REPO to $ROOT/src"
say "adding git and make, nothing else"
in_root 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq git make' \
    > "$LOGS/git-make.log" 2>&1 || die "apt-get install git make failed in the chroot (log: $LOGS/git-make.log)"
in_root 'useradd -m -s /bin/bash student' || die "useradd failed in the chroot"
say "minimal system ready in $(elapsed $t) ($(in_root 'dpkg-query -W | wc -l') packages)"

# Each one clones the repository's HEAD, as a new user would. (/src belongs
# to the host's owner of REPO: git wants it named safe for a local clone.)
in_root 'git config --system --add safe.directory /src/.git && git config --system --add safe.directory /src'
clone() { in_root ${1:+--user "$1"} "git clone -q /src nn"; }
clone student || die "git clone failed (student)"
clone "" || die "git clone failed (root)"
say "cloned $(git -C "$REPO" rev-parse --short HEAD) of $REPO"

# --- 1. No root, no sudo: one line, the command to run as root, non-zero exit --
for cmd in "make deps" "make"; do
    log="$LOGS/student-${cmd// /-}.log"
    in_root --user student "cd nn && $cmd" > "$log" 2>&1; rc=$?
    msg=$(grep 'make deps:' "$log")
    echo "    $ $cmd  -> exit $rc"; sed 's/^/    | /' "$log"
    [ "$rc" != 0 ] && [ "$(grep -c 'make deps:' "$log")" = 1 ] \
        && grep -q 'not root, and sudo is not installed' <<<"$msg" \
        && grep -q 'as root, run:  apt-get update && apt-get install -y .*curl ca-certificates' <<<"$msg" \
        && ! grep -q 'apt-get .*failed' "$log"
    check "'$cmd' as a user without sudo: one line with the root command, exit $rc" $?
done

# --- 2. The main command, as root, no LANG -------------------------------------
t=$SECONDS
say "make (as root, no LANG; log: $LOGS/make.log)"
in_root 'cd nn && make' > "$LOGS/make.log" 2>&1; rc=$?
make_time=$(elapsed $t)
grep -E '^(missing:|Installing|Installed|fetch-mnist: (trying|MNIST is))' "$LOGS/make.log" | sed 's/^/    | /'
[ $rc = 0 ] || tail -n 20 "$LOGS/make.log" | sed 's/^/    ! /'
check "make: exit $rc in $make_time" $rc
warnings=$(grep -c 'warning: iconv failed' "$LOGS/make.log")
[ "$warnings" = 0 ]; check "gnuplot with no LANG: $warnings encoding warnings" $?
figures=$(find "$ROOT/root/nn/out" -path '*/fig/*.png' 2>/dev/null | wc -l)
[ "$figures" -gt 0 ]; check "figures drawn: $figures" $?
[ "$(in_root 'command -v npm || true')" = "" ]; check "npm was not needed (not installed)" $?

# --- 3. The test command -------------------------------------------------------
t=$SECONDS
say "make test (as root; log: $LOGS/make-test.log)"
in_root 'cd nn && make test' > "$LOGS/make-test.log" 2>&1; rc=$?
test_time=$(elapsed $t)
closing=$(grep -E '^tests: [0-9]+ passed, [0-9]+ failed' "$LOGS/make-test.log" | tail -n1)
echo "    | ${closing:-(no closing line)}"; grep '^SKIP:' "$LOGS/make-test.log" | sed 's/^/    | /'
[ $rc = 0 ] || grep -E 'FAIL|Error|error:' "$LOGS/make-test.log" | tail -n 20 | sed 's/^/    ! /'
[ $rc = 0 ] && grep -q ' 0 failed' <<<"$closing"; check "make test: exit $rc in $test_time" $?

# --- 4. sudo installed but not granted; then granted ---------------------------
in_root 'DEBIAN_FRONTEND=noninteractive apt-get install -y -qq sudo' > "$LOGS/sudo.log" 2>&1 \
    || die "apt-get install sudo failed in the chroot"
in_root --user student 'cd nn && make deps' > "$LOGS/student-sudo-refused.log" 2>&1; rc=$?
echo "    $ make deps  (sudo there, not granted, no terminal) -> exit $rc"
sed 's/^/    | /' "$LOGS/student-sudo-refused.log"
[ "$rc" != 0 ] && grep -q 'sudo needs a password and there is no terminal to type it; as root, run:  apt-get update && apt-get install -y' \
    "$LOGS/student-sudo-refused.log"
check "'make deps' with sudo not granted: one line with the root command, exit $rc" $?
echo 'student ALL=(root) NOPASSWD: ALL' > "$ROOT/etc/sudoers.d/student" && chmod 440 "$ROOT/etc/sudoers.d/student"
in_root --user student 'cd nn && make deps' > "$LOGS/student-sudo.log" 2>&1; rc=$?
echo "    $ make deps  (sudo granted) -> exit $rc"; sed 's/^/    | /' "$LOGS/student-sudo.log"
[ "$rc" = 0 ] && grep -q '^Installed: ' "$LOGS/student-sudo.log"; check "'make deps' through sudo: exit $rc" $?

# --- The end ---------------------------------------------------------------------
unmount_all
say "make $make_time, make test $test_time, all $(elapsed $START)"
if [ "$failed" = 0 ] && [ "${KEEP:-0}" != 1 ]; then
    rm -rf --one-file-system "$ROOT" "$LOGS"
else
    say "the chroot is kept in $ROOT, the logs in $LOGS"
fi
echo "minimal-debian: $passed passed, $failed failed"
[ "$failed" = 0 ]
