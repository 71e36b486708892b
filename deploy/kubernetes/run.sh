#!/bin/sh
# Runs a wsload test on Kubernetes and prints its one merged result:
#
#   deploy/kubernetes/run.sh SCRIPT [INSTANCES [IMAGE [START_DELAY_S]]]
#
# 1. the script goes into the ConfigMap wsload-script (as test.js);
# 2. job.yaml runs as an Indexed Job of INSTANCES pods (default 4) of IMAGE
#    (default wsload:latest), starting START_DELAY_S (default 60) seconds
#    from now;
# 3. when the Job is over, the pods' logs go to `wsload merge`, which
#    prints the summary (or the script's handleSummary()) and exits with
#    k6's code: 0, or 99 when a threshold failed on the merged data.
#
# Needs kubectl (pointed at the cluster) and wsload (npx wsload) locally.
set -eu
script=${1:?usage: run.sh SCRIPT [INSTANCES [IMAGE [START_DELAY_S]]]}
instances=${2:-4}
image=${3:-wsload:latest}
delay=${4:-60}
here=$(dirname "$0")
start_at=$(node -e "console.log(new Date(Date.now() + $delay * 1000).toISOString())")

kubectl delete job wsload --ignore-not-found --wait=true
kubectl create configmap wsload-script --from-file=test.js="$script" \
  --dry-run=client -o yaml | kubectl apply -f -
sed -e "s/^  completions: 4$/  completions: $instances/" \
  -e "s/^  parallelism: 4$/  parallelism: $instances/" \
  -e "s/^  maxFailedIndexes: 4$/  maxFailedIndexes: $instances/" \
  -e "s/--instance=4$/--instance=$instances/" \
  -e "s|image: wsload:latest$|image: $image|" \
  -e "s/value: \"2030-01-01T00:00:00Z\"$/value: \"$start_at\"/" \
  "$here/job.yaml" | kubectl apply -f -

echo "wsload: $instances pods start at $start_at; waiting for the Job to end" >&2
while :; do
  conditions=$(kubectl get job wsload -o jsonpath='{.status.conditions[*].type}')
  case " $conditions " in
    *" Complete "* | *" Failed "*) break ;;
  esac
  sleep 5
done

kubectl logs --selector=job-name=wsload --tail=-1 \
  --max-log-requests="$instances" |
  npx --yes wsload merge --script "$script" -
