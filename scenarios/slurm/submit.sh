#!/bin/sh
# Submit a cabine batch to Slurm: a job array of N tasks (batch.sbatch)
# and the merge step (merge.sbatch) that waits for all of them, whatever
# their ending (afterany: the merge says which runs are missing).
#
#   sh scenarios/slurm/submit.sh study/sweep.json out/study 8 [sbatch options…]
#
# Prints the two job ids. Extra words are passed to both sbatch calls
# (e.g. --partition=short --time=01:00:00).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
BATCH=${1:?usage: submit.sh BATCH.json OUT_DIR N [sbatch options]}
OUT=${2:?usage: submit.sh BATCH.json OUT_DIR N [sbatch options]}
N=${3:?usage: submit.sh BATCH.json OUT_DIR N [sbatch options]}
shift 3
mkdir -p "$OUT"
array=$(sbatch --parsable --array=1-"$N" --chdir="$PWD" \
	--output="$OUT/cabine-batch-%A_%a.log" "$@" \
	"$here/batch.sbatch" "$BATCH" "$OUT")
array=${array%%;*}
merge=$(sbatch --parsable --dependency=afterany:"$array" --chdir="$PWD" \
	--output="$OUT/cabine-merge-%j.log" "$@" \
	"$here/merge.sbatch" "$OUT" "$N")
merge=${merge%%;*}
echo "$array $merge"
