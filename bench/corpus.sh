# Sourced by the benchmark scripts: `corpus NAME FILES SIZE_MB "$@"` reads `--files N` and
# `--size-mb N` from the arguments (FILES and SIZE_MB when absent) and generates the corpus
# once, with ../shared/bench/gen_corpus.py, into $dir/corpus; $dir is
# ${WOMLINT_BENCH_DIR:-/tmp/womlint-bench}/NAME-FILES-SIZE.
corpus() {
  local name="$1"
  files="$2"
  size="$3"
  shift 3
  while [ $# -gt 0 ]; do
    case "$1" in
      --files) files="$2"; shift 2 ;;
      --size-mb) size="$2"; shift 2 ;;
      *) echo "usage: $0 [--files N] [--size-mb N]" >&2; exit 2 ;;
    esac
  done
  local generator=../shared/bench/gen_corpus.py
  [ -f "$generator" ] || { echo "error: $generator not found (../shared beside the checkout)" >&2; exit 2; }
  dir="${WOMLINT_BENCH_DIR:-/tmp/womlint-bench}/$name-$files-$size"
  if [ ! -d "$dir/corpus" ]; then
    mkdir -p "$dir"
    python3 "$generator" --out "$dir/corpus" --files "$files" --size-mb "$size" >/dev/null
  fi
}
