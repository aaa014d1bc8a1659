#!/bin/sh
# make test-slurm: a real Slurm on this machine runs a cabine batch as a
# job array (scenarios/slurm/submit.sh), merges its shards, and the merged
# batch.sqlite must equal the same batch run on one machine, row for row
# (sqlite3 .dump), and so must batch.csv.
#
# It installs Debian's slurm-wlm, munge and sqlite3 if missing (apt-get;
# the machine is root), writes a single-node slurm.conf in a scratch
# folder (this host, 2 CPUs, no accounting, no cgroups: proctrack/
# linuxproc and task/none, so that it runs in a container without
# systemd), starts munged, slurmctld and slurmd directly on their own
# ports and sockets, and stops them (by their pids) whatever happens.
# Bounded: at most SLURM_TEST_TIMEOUT seconds (default 240) of waiting.
# Prints "slurm: 1 passed, 0 failed" (or 0 passed, 1 failed) and exits 1
# on failure. Usage: sh tests/slurm/run.sh [CABINE] (default ./cabine).
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
CABINE=$(cd "$(dirname "${1:-./cabine}")" && pwd)/$(basename "${1:-./cabine}")
timeout_s=${SLURM_TEST_TIMEOUT:-240}
start=$(date +%s)
fail() {
	echo "slurm: $*" >&2
	echo "slurm: 0 passed, 1 failed"
	exit 1
}
need=""
for p in slurm-wlm munge sqlite3; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || need="$need $p"
done
if [ -n "$need" ]; then
	echo "slurm: installing Debian packages:$need" >&2
	export DEBIAN_FRONTEND=noninteractive
	{ apt-get install -y -qq $need || { apt-get update -qq && apt-get install -y -qq $need; }; } >/dev/null 2>&1 ||
		fail "cannot install$need"
fi
[ -x "$CABINE" ] || fail "$CABINE: not built (run make first)"
T=$(mktemp -d /tmp/cabine-slurm-XXXXXX)
chmod 755 "$T"
pids=""
stop() {
	for p in $pids; do kill "$p" 2>/dev/null; done
	sleep 1
	for p in $pids; do kill -9 "$p" 2>/dev/null; done
	[ -n "${keep:-}" ] || rm -rf "$T"
}
trap stop EXIT INT TERM
host=$(hostname -s)
mkdir -p "$T/state" "$T/spool" "$T/munge" "$T/work"
chmod 700 "$T/munge"
# munge: its own key, socket and files; --force because /tmp and root.
dd if=/dev/urandom of="$T/munge/munge.key" bs=1024 count=1 2>/dev/null
chmod 600 "$T/munge/munge.key"
sock="$T/munge/munge.socket"
/usr/sbin/munged --force --key-file="$T/munge/munge.key" --socket="$sock" \
	--pid-file="$T/munge/munged.pid" --log-file="$T/munge/munged.log" \
	--seed-file="$T/munge/munged.seed" 2>"$T/munge/start.log" ||
	fail "munged did not start: $(cat "$T/munge/start.log")"
sleep 0.5
pids="$pids $(cat "$T/munge/munged.pid")"
cat >"$T/slurm.conf" <<CONF
ClusterName=cabine-test
SlurmctldHost=$host
SlurmctldPort=16817
SlurmdPort=16818
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$sock
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
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
ReturnToService=2
SlurmdTimeout=30
NodeName=$host NodeAddr=127.0.0.1 CPUs=2 State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$T/slurm.conf"
/usr/sbin/slurmctld -D -i >"$T/slurmctld.out" 2>&1 &
pids="$pids $!"
/usr/sbin/slurmd -D >"$T/slurmd.out" 2>&1 &
pids="$pids $!"
# The node comes up within seconds.
up=""
while [ $(($(date +%s) - start)) -lt "$timeout_s" ]; do
	if sinfo -h -o '%t' 2>/dev/null | grep -qE '^(idle|mix|alloc)'; then
		up=1
		break
	fi
	sleep 1
done
[ -n "$up" ] || { keep=1; fail "the node did not come up (logs in $T)"; }
# The study: 2 keys × 3 prices × 2 PV scales of the CLI cases' community.
cp -r "$here/tests/cli/cases/batch_runs_every_scenario/a" "$T/work/"
cat >"$T/work/sweep.json" <<'JSON'
{"base": "a/scenario.json",
 "sweep": {"sharing.key": ["proportional", "hybrid"],
           "sharing.price_eur_kwh": [0.10, 0.15, 0.25], "pv_scale": [1, 0.5]}}
JSON
cd "$T/work" || fail "no work folder"
"$CABINE" batch sweep.json --out one --quiet --reports none ||
	fail "the batch on one machine failed"
ids=$(CABINE="$CABINE" sh "$here/scenarios/slurm/submit.sh" sweep.json cluster 3 \
	--cpus-per-task=1 --partition=test) || { keep=1; fail "sbatch failed (logs in $T)"; }
merge=${ids#* }
done_=""
while [ $(($(date +%s) - start)) -lt "$timeout_s" ]; do
	if [ -z "$(squeue -h -j "$merge" 2>/dev/null)" ] && [ -f cluster/batch.sqlite ]; then
		done_=1
		break
	fi
	sleep 1
done
[ -n "$done_" ] || { keep=1; fail "the job array or its merge did not end within ${timeout_s}s (logs in $T)"; }
for k in 1 2 3; do
	[ -f "cluster/batch-$k-of-3.sqlite" ] || { keep=1; fail "task $k wrote no shard (logs in $T)"; }
done
sqlite3 one/batch.sqlite .dump >one.dump
sqlite3 cluster/batch.sqlite .dump >cluster.dump
if ! cmp -s one.dump cluster.dump; then
	keep=1
	diff one.dump cluster.dump | head -n 20 >&2
	fail "the merged batch.sqlite differs from the one-machine run (in $T)"
fi
cmp -s one/batch.csv cluster/batch.csv || { keep=1; fail "batch.csv differs (in $T)"; }
runs=$(sqlite3 cluster/batch.sqlite "SELECT count(*) FROM run WHERE status = 'ok'")
[ "$runs" = 12 ] || { keep=1; fail "$runs runs ok, expected 12"; }
echo "slurm: a 3-task job array and its merge equal the one-machine batch (12 runs) in $(($(date +%s) - start)) s"
echo "slurm: 1 passed, 0 failed"
