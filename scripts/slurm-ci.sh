#!/bin/bash
# A real single-node Slurm cluster on this machine, for CI: munged and slurmctld + slurmd on localhost,
# configured under a temporary folder, then deploy/slurm/submit.sh runs (1) the hashing array, the plan,
# the table-shard array and the dependent merge on a few hundred images, and (2) the same on 100,000
# planted hashes, and each result is compared with one unsharded process. The daemons this script
# started are stopped on exit, also on failure. Needs root and Debian's slurm-wlm + munge (.ci/run
# installs them).  Usage: scripts/slurm-ci.sh [IMAGES_DIR]
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
images=${1:-$repo/../shared/bench/images}
T=$(mktemp -d /tmp/md-slurm-ci.XXXXXX)
pids=()
stop() {
  local code=$?
  # Only the daemons started here, by their pid files, in reverse order.
  for f in "$T/slurmd.pid" "$T/slurmctld.pid" "$T/munged.pid"; do
    [ -s "$f" ] && kill "$(cat "$f")" 2>/dev/null || true
  done
  sleep 1
  if [ $code -ne 0 ]; then
    echo "slurm-ci: FAILED (exit $code); logs:" >&2
    tail -n 20 "$T"/*.log "$T"/run*/work/logs/*.log 2>/dev/null >&2 || true
  fi
  rm -rf "$T"
  exit $code
}
trap stop EXIT

for cmd in munged slurmctld slurmd sbatch; do command -v $cmd >/dev/null || { echo "slurm-ci: $cmd is missing (apt-get install slurm-wlm munge)" >&2; exit 1; }; done

# munge: its own key, socket and pid file under $T.
dd if=/dev/urandom of="$T/munge.key" bs=1024 count=1 status=none
chmod 400 "$T/munge.key"
munged --force --key-file="$T/munge.key" --socket="$T/munge.sock" --pid-file="$T/munged.pid" --log-file="$T/munged.log" --seed-file="$T/munge.seed"

host=$(hostname -s)
cpus=$(nproc)
mem=$(awk '/MemTotal/ {print int($2 / 1024 / 2)}' /proc/meminfo)
# Ports away from the defaults, so a Slurm already on the machine is left alone.
base=$((17000 + RANDOM % 2000))
mkdir -p "$T/state" "$T/spool"
cat > "$T/slurm.conf" <<CONF
ClusterName=mdci
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$base
SlurmdPort=$((base + 1))
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$T/munge.sock
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$T/state
SlurmdSpoolDir=$T/spool
SlurmctldPidFile=$T/slurmctld.pid
SlurmdPidFile=$T/slurmd.pid
SlurmctldLogFile=$T/slurmctld.log
SlurmdLogFile=$T/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
ReturnToService=2
MinJobAge=600
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=ci Nodes=$host Default=YES MaxTime=INFINITE State=UP OverSubscribe=YES
CONF
export SLURM_CONF=$T/slurm.conf
slurmctld -f "$SLURM_CONF"
slurmd -f "$SLURM_CONF"
for i in $(seq 1 60); do
  sinfo -h -o '%T' 2>/dev/null | grep -qE '^(idle|mixed|allocated)' && break
  [ "$i" = 60 ] && { echo "slurm-ci: the node never came up" >&2; exit 1; }
  sleep 1
done
echo "slurm-ci: single-node cluster up ($host, $cpus CPUs): $(sinfo -h -o '%P %T %C')"

export MEDIA_DEDUPE="node $repo/dist/cli.js"
MD=$MEDIA_DEDUPE
submit=$repo/deploy/slurm/submit.sh
unsharded() { # DIR ARGS...: the same pipeline in one process, one shard, one table shard
  local d=$1; shift
  $MD hash "$@" --shard 0/1 --out "$d/hashes" 2>/dev/null
  $MD plan --from-shards "$d/hashes" --tasks 1 >/dev/null
  $MD pairs --from-shards "$d/hashes" --tables 0/1 --out "$d/pairs" --workers 1 2>/dev/null
  $MD cluster --from-shards "$d/hashes" --pairs "$d/pairs" --manifest "$d/out/dedupe-manifest.json" --pairs-csv "$d/pairs.csv" 2>/dev/null
}

# 1. A few hundred images: 4 hashing tasks, 3 table shards.
started=$SECONDS
if [ -d "$images" ]; then
  (cd "$images" && find . -type f \( -name '*.jpg' -o -name '*.png' -o -name '*.webp' \) | sort | awk 'NR <= 400') > "$T/list.txt"
else
  # Without ../shared: a few hundred generated pictures (noise, copies and re-encodes).
  images=$T/images && mkdir -p "$images"
  node -e '
    const sharp = require(process.argv[1] + "/node_modules/sharp");
    (async () => { for (let k = 0; k < 300; k++) {
      const seed = k % 120, px = Buffer.alloc(64 * 48 * 3);
      let s = seed * 2654435761 >>> 0 || 1;
      for (let i = 0; i < px.length; i++) { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; px[i] = s & 255; }
      await sharp(px, { raw: { width: 64, height: 48, channels: 3 } }).blur(2).jpeg({ quality: 70 + (k % 3) * 10 }).toFile(`${process.argv[2]}/img${String(k).padStart(4, "0")}.jpg`);
    } })();' "$repo" "$images"
  (cd "$images" && ls | sort) > "$T/list.txt"
fi
echo "slurm-ci: $(wc -l < "$T/list.txt") images from $images"
"$submit" --list "$T/list.txt" --root "$images" --work "$T/run1/work" --manifest "$T/run1/out/dedupe-manifest.json" --hash-tasks 4 --table-tasks 3 --wait
unsharded "$T/one1" --files-from "$T/list.txt" --root "$images"
$MD cluster --from-shards "$T/run1/work/hashes" --pairs "$T/run1/work/pairs" --manifest "$T/run1/check/dedupe-manifest.json" --pairs-csv "$T/run1/pairs.csv" 2>/dev/null
cmp "$T/run1/work/hashes/plan-distinct.bin" "$T/one1/hashes/plan-distinct.bin"
cmp "$T/run1/work/hashes/plan-nodes.bin" "$T/one1/hashes/plan-nodes.bin"
cmp "$T/run1/out/dedupe-manifest.json" "$T/one1/out/dedupe-manifest.json"
cmp <(sort "$T/run1/pairs.csv") <(sort "$T/one1/pairs.csv")
echo "slurm-ci: images: 4 hash tasks + 3 table shards == one process (hashes, pairs, manifest: $(($(wc -l < "$T/one1/pairs.csv") - 1)) pairs) in $((SECONDS - started)) s"

# 2. 100,000 planted hashes (perception's JSON lines): 2 hash shards, 4 table shards, against one `pairs` process.
started=$SECONDS
(cd "$repo" && node --import tsx -e '
  const { plantedFile } = require("./src/core/testing/plantedHashes.ts");
  plantedFile(100000, process.argv[1]);' "$T/planted.jsonl")
"$submit" --from-hashes "$T/planted.jsonl" --work "$T/run2/work" --manifest "$T/run2/out/dedupe-manifest.json" --hash-tasks 2 --table-tasks 4 --wait
$MD cluster --from-shards "$T/run2/work/hashes" --pairs "$T/run2/work/pairs" --manifest "$T/run2/check/dedupe-manifest.json" --pairs-csv "$T/run2/pairs.csv" 2>/dev/null
$MD pairs "$T/planted.jsonl" --approximate > "$T/run2/single.csv" 2>/dev/null
cmp <(sort "$T/run2/pairs.csv") <(sort "$T/run2/single.csv")
echo "slurm-ci: 100,000 planted hashes: 2 hash tasks + 4 table shards == one pairs process ($(($(wc -l < "$T/run2/single.csv") - 1)) pairs) in $((SECONDS - started)) s"
echo "slurm-ci: passed"
