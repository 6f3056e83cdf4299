#!/bin/bash
# Submits a whole sharded run to Slurm: the hashing array, the plan, the table-shard array and the
# merge, each depending on the previous one (--dependency=afterok), and prints their job ids.
#
#   deploy/slurm/submit.sh --list files.txt --root /data/images --work /shared/run1 \
#       --manifest /data/images/dedupe-manifest.json --hash-tasks 64 --table-tasks 16 [--wait]
#
# --from-hashes FILE instead of --list shards hashes computed elsewhere (perception's JSON lines).
# Extra sbatch options (partition, account, time) go in SBATCH_ARGS; the command in MEDIA_DEDUPE
# (default: media-dedupe on PATH). A failed task can be re-run alone (sbatch --array=I hash.sbatch with
# the same environment): it overwrites only its own shard, and the merge refuses incomplete sets.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
list='' from_hashes='' root=$PWD work='' manifest='' hash_tasks=4 table_tasks=4 wait=0
# Paths are made absolute (the jobs run in another folder) but links are kept as given (-s): the manifest
# names files relative to it through the same route a one-process run takes, so both manifests are equal.
while [ $# -gt 0 ]; do
  case "$1" in
    --list) list=$(realpath -s "$2"); shift 2 ;;
    --from-hashes) from_hashes=$(realpath -s "$2"); shift 2 ;;
    --root) root=$(realpath -s "$2"); shift 2 ;;
    --work) work=$(realpath -m -s "$2"); shift 2 ;;
    --manifest) manifest=$(realpath -m -s "$2"); shift 2 ;;
    --hash-tasks) hash_tasks=$2; shift 2 ;;
    --table-tasks) table_tasks=$2; shift 2 ;;
    --wait) wait=1; shift ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "submit.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
if [ -z "$work" ] || [ -z "$manifest" ] || { [ -z "$list" ] && [ -z "$from_hashes" ]; }; then
  echo "submit.sh: --work, --manifest and --list (or --from-hashes) are required" >&2
  exit 2
fi
mkdir -p "$work/logs"
export MD_LIST=$list MD_FROM_HASHES=$from_hashes MD_ROOT=$root MD_WORK=$work MD_MANIFEST=$manifest MD_TABLE_TASKS=$table_tasks
sb() { sbatch --parsable --export=ALL --chdir="$work" ${SBATCH_ARGS:-} "$@" | cut -d';' -f1; }
hash=$(sb --array=0-$((hash_tasks - 1)) --output="$work/logs/hash-%a.log" "$here/hash.sbatch")
plan=$(sb --dependency=afterok:"$hash" --output="$work/logs/plan.log" "$here/plan.sbatch")
pairs=$(sb --dependency=afterok:"$plan" --array=0-$((table_tasks - 1)) --output="$work/logs/pairs-%a.log" "$here/pairs.sbatch")
cluster=$(sb --dependency=afterok:"$pairs" --output="$work/logs/cluster.log" "$here/cluster.sbatch")
echo "hash=$hash plan=$plan pairs=$pairs cluster=$cluster"
if [ "$wait" = 1 ]; then
  # Waits for the merge. A failed task leaves it pending on a dependency that can never be met: stop then.
  while :; do
    info=$(scontrol show job -o "$cluster" 2>/dev/null || true)
    state=$(sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p' <<< "$info")
    case "$state" in
      COMPLETED) echo "done: $manifest"; exit 0 ;;
      FAILED|CANCELLED|TIMEOUT|NODE_FAIL|OUT_OF_MEMORY|BOOT_FAIL|DEADLINE|PREEMPTED) echo "submit.sh: the merge ended $state; see $work/logs" >&2; exit 1 ;;
      PENDING) case "$info" in *DependencyNeverSatisfied*) scancel "$cluster"; echo "submit.sh: a task failed; see $work/logs" >&2; exit 1 ;; esac ;;
      '') echo "submit.sh: job $cluster is gone before it was seen completing" >&2; exit 1 ;;
    esac
    sleep 2
  done
fi
