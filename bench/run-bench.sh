#!/usr/bin/env bash
# bench/run-bench.sh — the body of `make bench` (bench/bench.mk sets the
# variables below). In one run on this machine:
#   1. cblas_sgemm's measured peak (bench/sgemm_peak.c), for the arithmetic bound;
#   2. chapter 3's network and 3. chapter 4's: floating-point operations per
#      image counted from the layer sizes; our program (build/rel/bin/chN
#      --bench: seconds per epoch, training and inference images per second,
#      test accuracy; peak resident memory from /usr/bin/time -v); the same
#      network in PyTorch (bench/torch_mlp.py, bench/torch_cnn.py) at its
#      fastest thread setting, chosen by short trial runs;
#   4. the sgemm peak once more (the cores are shared: the higher sample counts);
#   5. the tables with ratios and targets; out/bench/bench.json and bench.csv.
# A part whose program, data or PyTorch is missing is skipped with one line;
# the bench itself fails only when it cannot write its results.
#
# Our programs run with the environment as it is (OPENBLAS_CORETYPE,
# OPENBLAS_L2_SIZE, ... untouched). Only PyTorch's trial runs set
# OPENBLAS_NUM_THREADS, because choosing its threads is the point of them.
set -u

OUT=${BENCH_OUT:-out/bench}
SGEMM_PEAK=${SGEMM_PEAK:-build/rel/bin/sgemm_peak}
CH3_BIN=${CH3_BIN-build/rel/bin/ch3}
CH4_BIN=${CH4_BIN-build/rel/bin/ch4}
DATA_DIR=${DATA_DIR:-datasets/mnist}
BENCH_TORCH=${BENCH_TORCH:-yes}
BENCH_NETS=${BENCH_NETS:-mlp cnn}
PY=${BENCH_PYTHON:-/usr/bin/python3}
# Length of PyTorch's trial runs, in batches of 64 (after 5 untimed ones).
TRIAL_BATCHES_mlp=${TRIAL_BATCHES_mlp:-400}
TRIAL_BATCHES_cnn=${TRIAL_BATCHES_cnn:-60}
# Only for trying the bench out quickly: fewer epochs in PyTorch's full run
# (empty: the chapters' own 2 and 5). Ratios are then not like for like.
TORCH_EPOCHS_mlp=${TORCH_EPOCHS_mlp:-}
TORCH_EPOCHS_cnn=${TORCH_EPOCHS_cnn:-}
# How many settings get a full run (the fastest trials first): two for the
# MLP, whose runs are short and whose settings come out close; one for the
# CNN, whose full run takes minutes.
TORCH_FULL_RUNS_mlp=${TORCH_FULL_RUNS_mlp:-2}
TORCH_FULL_RUNS_cnn=${TORCH_FULL_RUNS_cnn:-1}
OUR_RUNS_mlp=${OUR_RUNS_mlp:-$TORCH_FULL_RUNS_mlp}
OUR_RUNS_cnn=${OUR_RUNS_cnn:-$TORCH_FULL_RUNS_cnn}

mkdir -p "$OUT" || { echo "bench: cannot create $OUT" >&2; exit 1; }

declare -A R       # every figure, by name: R[mlp.ours.train_ips], R[sgemm.peak], ...
declare -a TARGETS # "net|what|value|target text|PASS/MISS/n/a"

# --- small helpers -----------------------------------------------------------
# calc EXPR — floating-point arithmetic (awk); empty output when EXPR fails.
calc() { awk "BEGIN { printf \"%.10g\", ($1) }" 2>/dev/null; }
# all_set V... — true when every argument is non-empty.
all_set() { local v; for v in "$@"; do [ -n "$v" ] || return 1; done; }
# fmt PRINTF_FORMAT VALUE — the value formatted, or "-" when it is missing.
fmt() { if [ -n "$2" ]; then awk -v v="$2" "BEGIN { printf \"$1\", v }"; else printf -- "-"; fi; }
# jnum FILE KEY — a top-level number from a JSON file written by json.h or by
# Python's json with indent (one key per line; the depth is followed by
# counting brackets, so a nested key of the same name is not taken); empty
# when absent or null.
jnum() {
    [ -f "$1" ] || return 0
    awk -v key="\"$2\":" '
        depth == 1 && index($0, key) {
            v = substr($0, index($0, key) + length(key))
            gsub(/[ ,\r]/, "", v)
            if (v ~ /^[-+]?[0-9.]+([eE][-+]?[0-9]+)?$/) print v
            exit
        }
        { depth += gsub(/[[{]/, "&") - gsub(/[]}]/, "&") }' "$1"
}
# maxrss_mb TIMEFILE — "Maximum resident set size (kbytes)" in MB (10^6 bytes).
maxrss_mb() {
    [ -f "$1" ] || return 0
    local kb
    kb=$(sed -n 's/.*Maximum resident set size (kbytes): *\([0-9]*\).*/\1/p' "$1")
    [ -n "$kb" ] && calc "$kb * 1024 / 1e6"
}
# timed TIMEFILE LOG CMD... — CMD under /usr/bin/time -v (peak memory), its
# output to LOG; returns CMD's exit status.
timed() {
    local timefile=$1 log=$2
    shift 2
    rm -f "$timefile"
    if [ -x /usr/bin/time ]; then
        /usr/bin/time -v -o "$timefile" "$@" >"$log" 2>&1
    else
        "$@" >"$log" 2>&1
    fi
}
# target NET WHAT VALUE OP LIMIT TEXT — record PASS/MISS (n/a when VALUE is missing).
target() {
    local status=n/a
    if [ -n "$3" ]; then
        if [ "$(awk -v v="$3" -v l="$5" "BEGIN { print ((v $4 l) ? 1 : 0) }")" = 1 ]; then
            status=PASS
        else
            status=MISS
        fi
    fi
    TARGETS+=("$1|$2|$3|$6|$status")
}
# have_data — the four IDX files (plain or .gz) are in DATA_DIR.
have_data() {
    local f
    for f in train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do
        [ -f "$DATA_DIR/$f" ] || [ -f "$DATA_DIR/$f.gz" ] || return 1
    done
}
# train_count — the number of training images, from the labels file's header.
train_count() {
    local f=$DATA_DIR/train-labels-idx1-ubyte n=""
    if [ -f "$f" ]; then
        n=$(od -An -tu1 -j4 -N4 "$f")
    elif [ -f "$f.gz" ]; then
        n=$(gzip -dc "$f.gz" 2>/dev/null | head -c 8 | od -An -tu1 -j4 -N4)
    fi
    # shellcheck disable=SC2086
    [ -n "$n" ] && set -- $n && echo $(( ($1 << 24) | ($2 << 16) | ($3 << 8) | $4 )) || echo 60000
}

# --- 0. the machine ------------------------------------------------------------
R[date]=$(date -u '+%Y-%m-%d %H:%M UTC')
R[cpu]=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)
R[cores]=$(nproc 2>/dev/null)
R[load]=$(cut -d ' ' -f 1-3 /proc/loadavg 2>/dev/null)
echo
echo "== make bench — ${R[date]} — ${R[cpu]:-unknown CPU}, ${R[cores]:-?} cores =="
echo "   load average before: ${R[load]:-?}. The cores may be shared with other work:"
echo "   timings are noisy, compare figures from the same run only."
if [ "$(calc "${R[load]%% *} >= 0.5")" = 1 ]; then
    echo "   NOTE: something else is running now (load ${R[load]%% *}): expect lower figures than on an idle machine."
fi

# --- 1. cblas_sgemm peak -----------------------------------------------------------
echo
echo "== 1. cblas_sgemm peak (OpenBLAS, bench/sgemm_peak.c) =="
if [ -x "$SGEMM_PEAK" ] && "$SGEMM_PEAK" --threads 2 --seconds "${SGEMM_SECONDS:-0.4}" >"$OUT/sgemm.txt" 2>&1; then
    sed 's/^/  /' "$OUT/sgemm.txt" | grep -v 'peak_gflops'
    R[sgemm.peak]=$(sed -n 's/^peak_gflops \([0-9.]*\).*/\1/p' "$OUT/sgemm.txt")
    R[sgemm.peak1]=$(sed -n 's/^peak_gflops_1thread \([0-9.]*\).*/\1/p' "$OUT/sgemm.txt")
    echo "  peak: $(fmt %.1f "${R[sgemm.peak]}") GFLOP/s with 2 threads ($(fmt %.1f "${R[sgemm.peak1]}") with 1)"
else
    echo "  skipped: $SGEMM_PEAK did not run (see $OUT/sgemm.txt) — no arithmetic bound"
fi
PEAK=${R[sgemm.peak]:-}

# --- PyTorch available? ----------------------------------------------------------------
TORCH_OK=no
if [ "$BENCH_TORCH" != yes ]; then
    R[torch.status]="skipped (BENCH_TORCH=$BENCH_TORCH)"
elif ! [ -x "$PY" ]; then
    R[torch.status]="skipped: $PY not found"
elif ! R[torch.version]=$("$PY" -c 'import numpy, torch; print(torch.__version__)' 2>/dev/null); then
    R[torch.status]="skipped: $PY cannot import torch and numpy (apt-get install python3-torch)"
elif ! have_data; then
    R[torch.status]="skipped: no MNIST files in $DATA_DIR (make data)"
else
    TORCH_OK=yes
    R[torch.status]="PyTorch ${R[torch.version]} ($PY)"
fi

# --- the arithmetic: floating-point operations per training image ---------------------
# Forward: a dense layer n_in → n_out costs 2·n_in·n_out (a multiply and an
# add per weight); a k×k convolution c_in → c_out on an h×h output costs
# 2·h·h·c_out·c_in·k·k. Pooling and activations are left out (no multiplies
# worth counting). Backward ≈ 2× forward (gradients for the weights and for
# the inputs), so a training image costs ≈ 3× its forward pass.
flops_mlp() {
    local sizes=(784 128 64 10) fwd=0 i detail=""
    for ((i = 0; i + 1 < ${#sizes[@]}; i++)); do
        fwd=$((fwd + 2 * sizes[i] * sizes[i + 1]))
        detail+="${detail:+ + }2*${sizes[i]}*${sizes[i + 1]}"
    done
    R[mlp.fwd_flops]=$fwd
    R[mlp.flops_detail]="forward $detail = $fwd"
}
flops_cnn() {
    # conv:C_IN:C_OUT:K, pool:W, dense:N_OUT — the notes' network on 28×28×1.
    local layers=(conv:1:32:3 pool:2 conv:32:64:3 pool:2 dense:128 dense:10)
    local h=28 c=1 fwd=0 flat="" detail="" l f
    for l in "${layers[@]}"; do
        IFS=: read -r kind a b k <<<"$l"
        case $kind in
        conv)
            h=$((h - k + 1)); c=$b
            f=$((2 * h * h * b * a * k * k)); detail+="${detail:+ + }conv $f" ;;
        pool)
            h=$((h / a)) ;;
        dense)
            [ -z "$flat" ] && flat=$((c * h * h)) && c=$flat
            f=$((2 * c * a)); detail+="${detail:+ + }dense $c*$a $f"; c=$a ;;
        esac
        fwd=$((fwd + ${f:-0})); f=0
    done
    R[cnn.fwd_flops]=$fwd
    R[cnn.flatten]=$flat
    R[cnn.flops_detail]="forward $detail = $fwd (flatten $flat)"
}

# --- 2 and 3. one network: ours, then PyTorch ----------------------------------------
# run_ours NET CHAPTER BIN
run_ours() {
    local net=$1 chapter=$2 bin=$3 dir=$OUT/$1-ours runs=OUR_RUNS_$1 k s ips inf
    if [ -z "$bin" ]; then
        R[$net.ours.status]="skipped: chapter $chapter has no program yet (no BIN_chapter$chapter in its chapter.mk)"
    elif [ ! -x "$bin" ]; then
        R[$net.ours.status]="skipped: $bin is not built (chapter $chapter unfinished? see $OUT/build-$(basename "$bin").log)"
    elif ! have_data; then
        R[$net.ours.status]="skipped: no MNIST files in $DATA_DIR (make data)"
    fi
    if [ -n "${R[$net.ours.status]:-}" ]; then
        echo "  ours: ${R[$net.ours.status]}"
        return
    fi
    # As many runs as PyTorch gets full runs; the fastest counts (same seed,
    # so the accuracy is the same in each). Peak memory: the largest.
    for ((k = 1; k <= ${!runs}; k++)); do
        echo "  ours: $bin --bench --out $dir --data $DATA_DIR   (log: $OUT/$net-ours$k.log)"
        rm -f "$dir/summary.json"
        s=$dir/summary.json
        if ! timed "$OUT/$net-ours$k.time" "$OUT/$net-ours$k.log" "$bin" --bench --out "$dir" --data "$DATA_DIR" \
            || ! [ -f "$s" ]; then
            echo "  ours: $bin --bench failed (last lines of $OUT/$net-ours$k.log):"
            tail -n 3 "$OUT/$net-ours$k.log" | sed 's/^/    | /'
            continue
        fi
        grep -a -E '^ *(Época|Epoch|Precisión|Accuracy)' "$OUT/$net-ours$k.log" | tail -n 6 | sed 's/^ */    /'
        ips=$(jnum "$s" train_images_per_second)
        echo "    $(fmt %.0f "$ips") training images/s"
        better "$(maxrss_mb "$OUT/$net-ours$k.time")" "${R[$net.ours.mem]:-}" && R[$net.ours.mem]=$(maxrss_mb "$OUT/$net-ours$k.time")
        for b in "" _b64; do
            inf=$(jnum "$s" "inference_images_per_second$b")
            better "$inf" "${R[$net.ours.infer_ips$b]:-}" && R[$net.ours.infer_ips$b]=$inf
        done
        better "$ips" "${R[$net.ours.train_ips]:-}" || continue
        R[$net.ours.status]=ran
        R[$net.ours.train_ips]=$ips
        R[$net.ours.acc]=$(jnum "$s" test_accuracy)
        R[$net.ours.spe]=$(jnum "$s" seconds_per_epoch)
    done
    if [ "${R[$net.ours.status]:-}" != ran ]; then
        R[$net.ours.status]="failed: $bin --bench exited with an error (see $OUT/$net-ours*.log)"
        unset "R[$net.ours.mem]" "R[$net.ours.infer_ips]" "R[$net.ours.infer_ips_b64]"
    fi
}

# run_torch NET — trial runs at each thread setting, then the full run at the best.
TORCH_SETTINGS=(
    "1|2|torch 1 thread, OpenBLAS 2"
    "2|1|torch 2 threads, OpenBLAS 1"
    "2|2|torch 2 threads, OpenBLAS 2"
    "default|keep|default"
)
# env_for OPENBLAS — the `env` prefix that sets OPENBLAS_NUM_THREADS, or
# keeps the environment as it is ("keep"). PyTorch runs without the OpenMP
# wait settings the Makefile gives our programs (TORCH_ENV_UNSET), so that
# it runs as it would for anyone; a value the user set stays.
env_for() {
    if [ "$1" = keep ]; then echo env ${TORCH_ENV_UNSET:-}
    else echo env ${TORCH_ENV_UNSET:-} OPENBLAS_NUM_THREADS=$1; fi
}
# better A B — true when number A is larger than B (or B is empty).
better() { [ -n "$1" ] && { [ -z "$2" ] || [ "$(calc "$1 > $2")" = 1 ]; }; }
# consider_inference NET JSON LABEL — PyTorch's best inference is the fastest
# of every run, trial or full, at any setting (inference speed does not
# depend on how long the model trained).
consider_inference() {
    local net=$1 v b
    for b in "" _b64; do
        v=$(jnum "$2" "inference_images_per_second$b")
        if better "$v" "${R[$net.torch.infer_ips$b]:-}"; then
            R[$net.torch.infer_ips$b]=$v
            R[$net.torch.infer_label$b]=$3
        fi
    done
}
# run_torch NET — a trial run at every thread setting; then full runs at the
# fastest TORCH_FULL_RUNS_<net> settings, of which the fastest counts.
run_torch() {
    local net=$1 script=bench/torch_$1.py trials=TRIAL_BATCHES_$1 epochs=TORCH_EPOCHS_$1
    local fullruns=TORCH_FULL_RUNS_$1 i js th ob label ips order=""
    if [ "$TORCH_OK" != yes ]; then
        echo "  PyTorch: ${R[torch.status]}"
        return
    fi
    echo "  PyTorch ${R[torch.version]}: trial runs of ${!trials} batches at each thread setting"
    printf "    %-36s %13s %13s\n" "setting" "train img/s" "infer img/s"
    for i in "${!TORCH_SETTINGS[@]}"; do
        IFS='|' read -r th ob label <<<"${TORCH_SETTINGS[$i]}"
        js=$OUT/$net-torch-trial$i.json
        rm -f "$js"
        # shellcheck disable=SC2046  # env_for's words are meant to split
        if timed "$OUT/$net-torch-trial$i.time" "$OUT/$net-torch-trial$i.log" \
            $(env_for "$ob") "$PY" "$script" --data "$DATA_DIR" --threads "$th" \
            --trial-batches "${!trials}" --out "$js"; then
            ips=$(jnum "$js" train_images_per_second)
            [ "$th" = default ] && label="default (torch $(jnum "$js" torch_threads), OpenBLAS ${OPENBLAS_NUM_THREADS:-auto})"
            R[$net.torch.label$i]=$label
            printf "    %-36s %13s %13s\n" "$label" "$(fmt %.0f "$ips")" "$(fmt %.0f "$(jnum "$js" inference_images_per_second)")"
            [ -n "$ips" ] && order+="$ips $i"$'\n'
            if [ "$th" = default ]; then
                R[$net.torch.default_label]=$label
                R[$net.torch.default_train_ips]=$ips
                R[$net.torch.default_infer_ips]=$(jnum "$js" inference_images_per_second)
            fi
            consider_inference "$net" "$js" "$label"
        else
            printf "    %-36s failed (see %s)\n" "$label" "$OUT/$net-torch-trial$i.log"
        fi
    done
    if [ -z "$order" ]; then
        R[$net.torch.status]="failed: every PyTorch trial run failed"
        echo "  PyTorch: ${R[$net.torch.status]}"
        return
    fi
    R[$net.torch.best_trial_ips]=$(printf '%s' "$order" | sort -g -r | head -n 1 | cut -d ' ' -f 1)
    # The full runs, fastest trial first.
    for i in $(printf '%s' "$order" | sort -g -r | head -n "${!fullruns}" | cut -d ' ' -f 2); do
        IFS='|' read -r th ob _ <<<"${TORCH_SETTINGS[$i]}"
        label=${R[$net.torch.label$i]}
        js=$OUT/$net-torch-full$i.json
        echo "  PyTorch full run at ${label}${!epochs:+, only ${!epochs} epoch(s) (TORCH_EPOCHS_$net)}:"
        rm -f "$js"
        # shellcheck disable=SC2046
        if timed "$OUT/$net-torch-full$i.time" "$OUT/$net-torch-full$i.log" \
            $(env_for "$ob") "$PY" "$script" --data "$DATA_DIR" --threads "$th" --out "$js" \
            ${!epochs:+--epochs ${!epochs}}; then
            grep -a -E '^(Época|Precisión)' "$OUT/$net-torch-full$i.log" | sed 's/^/    /'
            ips=$(jnum "$js" train_images_per_second)
            echo "    $(fmt %.0f "$ips") training images/s"
            consider_inference "$net" "$js" "$label"
            better "$ips" "${R[$net.torch.train_ips]:-}" || continue
            R[$net.torch.status]=ran
            R[$net.torch.best_label]=$label
            R[$net.torch.train_ips]=$ips
            R[$net.torch.acc]=$(jnum "$js" test_accuracy)
            R[$net.torch.spe]=$(jnum "$js" seconds_per_epoch)
            R[$net.torch.mem]=$(maxrss_mb "$OUT/$net-torch-full$i.time")
        else
            echo "  PyTorch: the full run at $label failed (last lines of $OUT/$net-torch-full$i.log):"
            tail -n 3 "$OUT/$net-torch-full$i.log" | sed 's/^/    | /'
        fi
    done
    if [ "${R[$net.torch.status]:-}" != ran ]; then
        R[$net.torch.status]="failed: no full PyTorch run finished"
        unset "R[$net.torch.infer_ips]" "R[$net.torch.infer_ips_b64]"
        echo "  PyTorch: ${R[$net.torch.status]}"
    fi
}

# derive NET NTRAIN — GFLOP per epoch, the bound, the share of the peak, the ratios.
derive() {
    local net=$1 n=$2 who
    R[$net.train_flops]=$(calc "3 * ${R[$net.fwd_flops]}")
    R[$net.gflop_epoch]=$(calc "${R[$net.train_flops]} * $n / 1e9")
    [ -n "$PEAK" ] && R[$net.bound_spe]=$(calc "${R[$net.gflop_epoch]} / $PEAK")
    for who in ours torch; do
        local spe=${R[$net.$who.spe]:-} ips=${R[$net.$who.train_ips]:-}
        # seconds per epoch from images/s when the summary lacks it
        if [ -z "$spe" ] && [ -n "$ips" ]; then spe=$(calc "$n / $ips"); R[$net.$who.spe]=$spe; fi
        if all_set "$spe" "$PEAK"; then
            R[$net.$who.gflops]=$(calc "${R[$net.gflop_epoch]} / $spe")
            R[$net.$who.peak_share]=$(calc "100 * ${R[$net.$who.gflops]} / $PEAK")
        fi
    done
    local o t
    o=${R[$net.ours.train_ips]:-}; t=${R[$net.torch.train_ips]:-}
    all_set "$o" "$t" && R[$net.ratio.train]=$(calc "$o / $t")
    o=${R[$net.ours.infer_ips]:-}; t=${R[$net.torch.infer_ips]:-}
    all_set "$o" "$t" && R[$net.ratio.infer]=$(calc "$o / $t")
    o=${R[$net.ours.infer_ips_b64]:-}; t=${R[$net.torch.infer_ips_b64]:-}
    all_set "$o" "$t" && R[$net.ratio.infer_b64]=$(calc "$o / $t")
    o=${R[$net.ours.acc]:-}; t=${R[$net.torch.acc]:-}
    all_set "$o" "$t" && R[$net.ratio.acc_pts]=$(calc "100 * ($o - $t)")
    o=${R[$net.ours.mem]:-}; t=${R[$net.torch.mem]:-}
    all_set "$o" "$t" && R[$net.ratio.mem]=$(calc "$o / $t")
    o=${R[$net.ours.spe]:-}; t=${R[$net.torch.spe]:-}
    all_set "$o" "$t" && R[$net.ratio.spe]=$(calc "$o / $t")
    local acc_pct="" torch_acc_pct=""
    [ -n "${R[$net.ours.acc]:-}" ] && acc_pct=$(calc "100 * ${R[$net.ours.acc]}")
    [ -n "${R[$net.torch.acc]:-}" ] && torch_acc_pct=$(calc "100 * ${R[$net.torch.acc]}")
    R[$net.ours.acc_pct]=$acc_pct
    R[$net.torch.acc_pct]=$torch_acc_pct
}

# table NET — the comparison, each of our figures beside PyTorch's best.
row() { # row LABEL OURS PYTORCH RATIO FORMAT RATIO_FORMAT
    printf "  %-30s %12s %14s %10s\n" "$1" "$(fmt "$5" "$2")" "$(fmt "$5" "$3")" "$(fmt "$6" "$4")"
}
table() {
    local net=$1
    echo
    printf "  %-30s %12s %14s %10s\n" "figure" "ours" "PyTorch best" "ours/PyT"
    row "seconds per epoch" "${R[$net.ours.spe]:-}" "${R[$net.torch.spe]:-}" "${R[$net.ratio.spe]:-}" %.2f %.2fx
    row "training images/s" "${R[$net.ours.train_ips]:-}" "${R[$net.torch.train_ips]:-}" "${R[$net.ratio.train]:-}" %.0f %.2fx
    row "inference images/s (b1000)" "${R[$net.ours.infer_ips]:-}" "${R[$net.torch.infer_ips]:-}" "${R[$net.ratio.infer]:-}" %.0f %.2fx
    [ "$net" = cnn ] && row "inference images/s (b64)" "${R[$net.ours.infer_ips_b64]:-}" "${R[$net.torch.infer_ips_b64]:-}" "${R[$net.ratio.infer_b64]:-}" %.0f %.2fx
    printf "  %-30s %12s %14s %10s\n" "test accuracy %" "$(fmt %.2f "${R[$net.ours.acc_pct]:-}")" \
        "$(fmt %.2f "${R[$net.torch.acc_pct]:-}")" "$(fmt '%+.2f pt' "${R[$net.ratio.acc_pts]:-}")"
    row "peak memory MB (max RSS)" "${R[$net.ours.mem]:-}" "${R[$net.torch.mem]:-}" "${R[$net.ratio.mem]:-}" %.0f %.2fx
    row "GFLOP/s achieved" "${R[$net.ours.gflops]:-}" "${R[$net.torch.gflops]:-}" "" %.1f %s
    row "share of the sgemm peak %" "${R[$net.ours.peak_share]:-}" "${R[$net.torch.peak_share]:-}" "" %.1f %s
    if [ -n "${R[$net.torch.default_label]:-}" ]; then
        echo "  PyTorch's best: ${R[$net.torch.best_label]:-?} (training), ${R[$net.torch.infer_label]:-?} (inference b1000)."
        echo "  PyTorch's ${R[$net.torch.default_label]}, trial run: $(fmt %.0f "${R[$net.torch.default_train_ips]:-}") training images/s," \
             "$(fmt %.0f "${R[$net.torch.default_infer_ips]:-}") inference images/s;"
        echo "  the fastest trial trained $(fmt %.2f "$(calc "${R[$net.torch.best_trial_ips]:-0} / ${R[$net.torch.default_train_ips]:-1}")")x as fast as the default's."
    fi
}

bench_net() { # bench_net NET
    local net=$1 n
    n=$(train_count)
    R[n_train]=$n
    if [ "$net" = mlp ]; then
        echo
        echo "== 2. MLP 784-128-64-10 (chapter 3): ReLU, softmax-CE, batch 64, Adam 0.003, 2 epochs =="
        flops_mlp
    else
        echo
        echo "== 3. CNN (chapter 4): conv 1->32 3x3, pool 2, conv 32->64 3x3, pool 2, fc 1600-128-10; batch 64, Adam 0.001, 5 epochs =="
        flops_cnn
    fi
    derive "$net" "$n"
    echo "  FLOPs per training image: ${R[$net.flops_detail]}; training ~ 3x forward = $(fmt %.3f "$(calc "${R[$net.train_flops]} / 1e6")") MFLOP"
    if [ -n "$PEAK" ]; then
        echo "  per epoch of $n images: $(fmt %.1f "${R[$net.gflop_epoch]}") GFLOP; at the sgemm peak ($(fmt %.1f "$PEAK") GFLOP/s) the bound is $(fmt %.2f "${R[$net.bound_spe]:-}") s per epoch"
    else
        echo "  per epoch of $n images: $(fmt %.1f "${R[$net.gflop_epoch]}") GFLOP (no sgemm peak measured, so no bound)"
    fi
    if [ "$net" = mlp ]; then run_ours mlp 3 "$CH3_BIN"; else run_ours cnn 4 "$CH4_BIN"; fi
    run_torch "$net"
}

# results NET — the table and the targets of one network, at the final peak.
results() {
    local net=$1
    derive "$net" "${R[n_train]}"
    echo
    if [ "$net" = mlp ]; then echo "-- MLP (chapter 3)"; else echo "-- CNN (chapter 4)"; fi
    echo "  $(fmt %.3f "$(calc "${R[$net.train_flops]} / 1e6")") MFLOP per training image, $(fmt %.1f "${R[$net.gflop_epoch]}") GFLOP per epoch;" \
         "arithmetic bound $(fmt %.2f "${R[$net.bound_spe]:-}") s per epoch at $(fmt %.1f "$PEAK") GFLOP/s"
    [ "${R[$net.ours.status]:-}" = ran ] || echo "  ours: ${R[$net.ours.status]:-not run}"
    [ "${R[$net.torch.status]:-}" = ran ] || echo "  PyTorch: ${R[$net.torch.status]:-${R[torch.status]}}"
    table "$net"
    if [ "$net" = mlp ]; then
        target mlp "training images/s vs PyTorch's best" "${R[mlp.ratio.train]:-}" '>=' 3 ">= 3x"
        target mlp "test accuracy vs PyTorch (points)" "${R[mlp.ratio.acc_pts]:-}" '>=' -0.3 ">= -0.3 points"
        target mlp "test accuracy %" "${R[mlp.ours.acc_pct]:-}" '>=' 97.0 ">= 97.0 % (issue 3)"
        target mlp "peak memory MB" "${R[mlp.ours.mem]:-}" '<=' 200 "<= 200 MB"
    else
        target cnn "training images/s vs PyTorch's best" "${R[cnn.ratio.train]:-}" '>=' 2 ">= 2x"
        target cnn "inference b1000 vs PyTorch's best" "${R[cnn.ratio.infer]:-}" '>=' 2 ">= 2x"
        target cnn "inference b64 vs PyTorch's best" "${R[cnn.ratio.infer_b64]:-}" '>=' 2 ">= 2x"
        target cnn "test accuracy vs PyTorch (points)" "${R[cnn.ratio.acc_pts]:-}" '>=' -0.3 ">= -0.3 points"
        target cnn "test accuracy %" "${R[cnn.ours.acc_pct]:-}" '>=' 99.0 ">= 99.0 % (issue 4)"
        target cnn "peak memory MB" "${R[cnn.ours.mem]:-}" '<=' 300 "<= 300 MB"
    fi
}

NETS=""
for net in $BENCH_NETS; do
    case $net in
    mlp | cnn) bench_net "$net"; NETS+=" $net" ;;
    *) echo "bench: unknown network '$net' in BENCH_NETS (mlp, cnn)" ;;
    esac
done

# --- 4. the peak again: the cores are shared, so the higher of two samples ----------
if [ -n "$NETS" ] && [ -x "$SGEMM_PEAK" ] \
    && "$SGEMM_PEAK" --threads 2 --seconds "${SGEMM_SECONDS:-0.4}" >"$OUT/sgemm-after.txt" 2>&1; then
    after=$(sed -n 's/^peak_gflops \([0-9.]*\).*/\1/p' "$OUT/sgemm-after.txt")
    echo
    echo "== 4. cblas_sgemm peak again, after the runs: $(fmt %.1f "$after") GFLOP/s (before: $(fmt %.1f "$PEAK")); the higher counts =="
    R[sgemm.peak_before]=$PEAK
    R[sgemm.peak_after]=$after
    if better "$after" "$PEAK"; then PEAK=$after; R[sgemm.peak]=$after; fi
fi

# --- 5. results and targets -----------------------------------------------------------
echo
echo "== Results (one run, ${R[date]}; shared cores: expect noise of tens of per cent) =="
for net in $NETS; do results "$net"; done
echo
echo "== Targets (information, not a test: MISS does not fail the bench) =="
printf "  %-4s %-38s %12s  %-22s %s\n" net what value target status
for t in "${TARGETS[@]}"; do
    IFS='|' read -r net what value text status <<<"$t"
    printf "  %-4s %-38s %12s  %-22s %s\n" "$net" "$what" "$(fmt %.2f "$value")" "$text" "$status"
done

# --- results: bench.json and bench.csv, each to a temporary name then renamed ---------
jv() { # a JSON value: a number as is, an empty value as null, anything else quoted
    local v=${1:-}
    if [ -z "$v" ]; then printf null
    elif [[ $v =~ ^[-+]?[0-9]*\.?[0-9]+([eE][-+]?[0-9]+)?$ ]]; then printf '%s' "$v"
    else v=${v//\\/\\\\}; printf '"%s"' "${v//\"/\\\"}"; fi
}
write_json() {
    local f=$OUT/bench.json tmp=$OUT/.bench.json.tmp net who k first
    {
        echo "{"
        echo "  \"date\": $(jv "${R[date]}"),"
        echo "  \"machine\": {\"cpu\": $(jv "${R[cpu]}"), \"cores\": $(jv "${R[cores]}"), \"load_average_before\": $(jv "${R[load]}")},"
        echo "  \"sgemm\": {\"peak_gflops\": $(jv "${R[sgemm.peak]:-}"), \"threads\": 2, \"peak_gflops_1thread\": $(jv "${R[sgemm.peak1]:-}")},"
        echo "  \"pytorch\": $(jv "${R[torch.status]}"),"
        echo "  \"train_images\": $(jv "${R[n_train]:-}"),"
        for net in mlp cnn; do
            [ -n "${R[$net.fwd_flops]:-}" ] || continue
            echo "  \"$net\": {"
            echo "    \"forward_flops_per_image\": $(jv "${R[$net.fwd_flops]}"),"
            echo "    \"train_flops_per_image\": $(jv "${R[$net.train_flops]}"),"
            echo "    \"gflop_per_epoch\": $(jv "${R[$net.gflop_epoch]}"),"
            echo "    \"bound_seconds_per_epoch\": $(jv "${R[$net.bound_spe]:-}"),"
            for who in ours torch; do
                echo "    \"$who\": {"
                echo "      \"status\": $(jv "${R[$net.$who.status]:-${R[torch.status]}}"),"
                [ "$who" = torch ] && echo "      \"best_setting\": $(jv "${R[$net.torch.best_label]:-}"),"
                [ "$who" = torch ] && echo "      \"best_inference_setting\": $(jv "${R[$net.torch.infer_label]:-}"),"
                [ "$who" = torch ] && echo "      \"best_inference_b64_setting\": $(jv "${R[$net.torch.infer_label_b64]:-}"),"
                [ "$who" = torch ] && echo "      \"default_setting\": $(jv "${R[$net.torch.default_label]:-}"),"
                [ "$who" = torch ] && echo "      \"default_trial_train_images_per_second\": $(jv "${R[$net.torch.default_train_ips]:-}"),"
                [ "$who" = torch ] && echo "      \"default_trial_inference_images_per_second\": $(jv "${R[$net.torch.default_infer_ips]:-}"),"
                echo "      \"seconds_per_epoch\": $(jv "${R[$net.$who.spe]:-}"),"
                echo "      \"train_images_per_second\": $(jv "${R[$net.$who.train_ips]:-}"),"
                echo "      \"inference_images_per_second\": $(jv "${R[$net.$who.infer_ips]:-}"),"
                echo "      \"inference_images_per_second_b64\": $(jv "${R[$net.$who.infer_ips_b64]:-}"),"
                echo "      \"test_accuracy\": $(jv "${R[$net.$who.acc]:-}"),"
                echo "      \"peak_rss_mb\": $(jv "${R[$net.$who.mem]:-}"),"
                echo "      \"gflops_achieved\": $(jv "${R[$net.$who.gflops]:-}"),"
                echo "      \"sgemm_peak_percent\": $(jv "${R[$net.$who.peak_share]:-}")"
                echo "    },"
            done
            echo "    \"ratios\": {\"train_images_per_second\": $(jv "${R[$net.ratio.train]:-}"), \"inference_images_per_second\": $(jv "${R[$net.ratio.infer]:-}"), \"inference_images_per_second_b64\": $(jv "${R[$net.ratio.infer_b64]:-}"), \"accuracy_points\": $(jv "${R[$net.ratio.acc_pts]:-}"), \"peak_rss\": $(jv "${R[$net.ratio.mem]:-}")}"
            echo "  },"
        done
        echo "  \"targets\": ["
        first=1
        for k in "${TARGETS[@]}"; do
            IFS='|' read -r net what value text status <<<"$k"
            [ $first = 1 ] || echo ","
            first=0
            printf '    {"net": %s, "what": %s, "value": %s, "target": %s, "status": %s}' \
                "$(jv "$net")" "$(jv "$what")" "$(jv "$value")" "$(jv "$text")" "$(jv "$status")"
        done
        echo
        echo "  ]"
        echo "}"
    } >"$tmp" && mv -f "$tmp" "$f"
}
write_csv() {
    local f=$OUT/bench.csv tmp=$OUT/.bench.csv.tmp net m
    {
        echo "net,figure,ours,pytorch_best,ours_vs_pytorch"
        echo "all,sgemm_peak_gflops_2threads,${R[sgemm.peak]:-},,"
        for net in mlp cnn; do
            [ -n "${R[$net.fwd_flops]:-}" ] || continue
            echo "$net,train_flops_per_image,${R[$net.train_flops]},,"
            echo "$net,gflop_per_epoch,${R[$net.gflop_epoch]},,"
            echo "$net,bound_seconds_per_epoch,${R[$net.bound_spe]:-},,"
            for m in "seconds_per_epoch spe spe" "train_images_per_second train_ips train" \
                     "inference_images_per_second infer_ips infer" "inference_images_per_second_b64 infer_ips_b64 infer_b64" \
                     "test_accuracy acc acc_pts" "peak_rss_mb mem mem" "sgemm_peak_percent peak_share -"; do
                set -- $m
                [ "$net" = mlp ] && [ "$2" = infer_ips_b64 ] && continue
                echo "$net,$1,${R[$net.ours.$2]:-},${R[$net.torch.$2]:-},${R[$net.ratio.$3]:-}"
            done
        done
    } >"$tmp" && mv -f "$tmp" "$f"
}
if write_json && write_csv; then
    echo
    echo "  results $OUT/bench.json"
    echo "  csv     $OUT/bench.csv"
else
    echo "bench: could not write the results to $OUT" >&2
    exit 1
fi
