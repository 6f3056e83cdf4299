#!/bin/bash
# Runs the four Jobs in order on the current kubectl context and namespace, waiting for each
# (kubectl wait) before starting the next; stops at the first that fails.
#   deploy/k8s/run.sh            (after copying files.txt to the volume's root)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
timeout=${TIMEOUT:-24h}
kubectl apply -f "$here/volume.yaml"
for job in hash plan pairs cluster; do
  kubectl delete job "media-dedupe-$job" --ignore-not-found
  kubectl apply -f "$here/$job-job.yaml"
  # kubectl wait for completion; a Job that fails (an index out of retries) never completes, so watch for that too.
  kubectl wait --for=condition=complete --timeout="$timeout" "job/media-dedupe-$job" &
  waiting=$!
  while kill -0 $waiting 2>/dev/null; do
    if kubectl get job "media-dedupe-$job" -o jsonpath='{.status.conditions[?(@.type=="Failed")].status}' | grep -q True; then
      kill $waiting
      echo "job media-dedupe-$job failed: kubectl logs job/media-dedupe-$job" >&2
      exit 1
    fi
    sleep 10
  done
  wait $waiting
  [ "$job" = plan ] && kubectl logs "job/media-dedupe-$job"
done
echo "manifest: /work/out/dedupe-manifest.json on the media-dedupe-work volume"
