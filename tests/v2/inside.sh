#!/bin/sh
# Runs inside the cgroup v2 VM (busybox sh, PID 1's child): real containers with runcs.
# Each case prints "V2TEST pass NAME", "V2TEST fail NAME DETAIL" or "V2TEST skip NAME WHY";
# "all" ends with "V2TEST summary P passed F failed S skipped".
# Usage: inside.sh all [CASE...] | inside.sh one CASE
# (run.sh's V2_ONLY picks cases; "timing", not in the default list, times single commands)
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
CG=/sys/fs/cgroup
B=/bundles
R="runcs --root /run/runcs"
LOG=/tmp/v2log
mkdir -p $LOG

say() { echo "V2TEST $*"; }
# fail DETAIL: ends the case (each case runs in its own shell)
fail() { say "fail $CASE $*"; exit 1; }
ok() { say "pass $CASE${1:+ $1}"; exit 0; }
eq() { # eq WHAT GOT WANT
  [ "$2" = "$3" ] || fail "$1: got '$2', want '$3'"
}
rd() { cat "$1" 2>/dev/null | tr '\n' ' ' | sed 's/ *$//'; }
st() { $R state "$1" 2>/dev/null | sed -n 's/.*"status": *"\([a-z]*\)".*/\1/p'; }
ipid() { $R state "$1" 2>/dev/null | sed -n 's/.*"pid": *\([0-9]*\).*/\1/p'; }
# start ID BUNDLE: runcs run -d with the container's stdio in files
start() {
  $R run -d -b "$B/$2" "$1" </dev/null >$LOG/$1.out 2>$LOG/$1.err
  rc=$?
  [ $rc = 0 ] || fail "run -d $1 failed (rc=$rc): $(head -c 600 $LOG/$1.err)"
  eq "state of $1 after run -d" "$(st $1)" running
}
wait_for() { # wait_for SECONDS COMMAND...: until the command succeeds
  n=$(($1 * 10)); shift
  while [ $n -gt 0 ]; do "$@" && return 0; sleep 0.1; n=$((n - 1)); done
  return 1
}
del() { # del ID: delete -f, which must succeed
  $R delete -f "$1" </dev/null >/dev/null 2>$LOG/$1.del || fail "delete -f $1: $(head -c 400 $LOG/$1.del)"
}
field() { sed -n "s/^$2 //p" "$1" 2>/dev/null; } # field FILE KEY: "KEY VALUE" files

# --- cases ---------------------------------------------------------------------------

t_limits() { # linux.resources as the host side of the VM sees them
  start res res
  d=$CG/v2test/res
  [ -d $d ] || fail "no cgroup directory $d"
  for c in cpuset cpu memory pids; do
    grep -qw $c $CG/v2test/cgroup.subtree_control || fail "controller $c not enabled in /v2test/cgroup.subtree_control ($(rd $CG/v2test/cgroup.subtree_control))"
  done
  eq memory.max "$(rd $d/memory.max)" 52428800
  # v1 memsw (memory+swap) 80 MiB with a 50 MiB limit is 30 MiB of swap on v2
  eq memory.swap.max "$(rd $d/memory.swap.max)" 31457280
  eq cpu.weight "$(rd $d/cpu.weight)" $((1 + ((1024 - 2) * 9999) / 262142))
  eq cpu.max "$(rd $d/cpu.max)" "50000 100000"
  eq pids.max "$(rd $d/pids.max)" 100
  eq cpuset.cpus "$(rd $d/cpuset.cpus)" 1
  p=$(ipid res)
  grep -qx "$p" $d/cgroup.procs || fail "init $p not in $d/cgroup.procs"
  eq "init's /proc/PID/cgroup" "$(rd /proc/$p/cgroup)" "0::/v2test/res"
  ok
}

t_inside() { # the same limits from inside the container (cgroup namespace)
  [ "$(st res)" = running ] || start res res
  eq "/proc/self/cgroup inside" "$($R exec res cat /proc/self/cgroup 2>&1)" "0::/"
  eq "memory.max inside" "$($R exec res cat /sys/fs/cgroup/memory.max 2>&1)" 52428800
  eq "memory.swap.max inside" "$($R exec res cat /sys/fs/cgroup/memory.swap.max 2>&1)" 31457280
  eq "cpu.max inside" "$($R exec res cat /sys/fs/cgroup/cpu.max 2>&1)" "50000 100000"
  eq "pids.max inside" "$($R exec res cat /sys/fs/cgroup/pids.max 2>&1)" 100
  eq "Cpus_allowed_list inside" "$($R exec res sh -c 'sed -n "s/^Cpus_allowed_list:\t*//p" /proc/self/status' 2>&1)" 1
  $R exec res sh -c 'echo x > /sys/fs/cgroup/memory.max' 2>/dev/null && fail "the cgroup mount is writable inside"
  ok
}

t_stats() { # events --stats reads the v2 files (before update changes them)
  [ "$(st res)" = running ] || start res res
  j=$($R events --stats res 2>&1) || fail "events --stats: $(echo "$j" | head -c 300)"
  eq "memory usage limit" "$(echo "$j" | grep -o '"usage":{"limit":[0-9]*' | head -1 | sed 's/.*://')" 52428800
  # v1-compatible, as runc reports it on v2: memory+swap (memory.max + memory.swap.max)
  eq "swap limit" "$(echo "$j" | grep -o '"swap":{"limit":[0-9]*' | head -1 | sed 's/.*://')" 83886080
  eq "pids limit" "$(echo "$j" | grep -o '"pids":{"current":[0-9]*,"limit":[0-9]*' | sed 's/.*://')" 100
  cur=$(echo "$j" | grep -o '"pids":{"current":[0-9]*' | sed 's/.*://')
  [ "${cur:-0}" -ge 1 ] || fail "pids.current in stats: '$cur'"
  tot=$(echo "$j" | grep -o '"total":[0-9]*' | head -1 | sed 's/.*://')
  [ "${tot:-0}" -gt 0 ] || fail "cpu usage total in stats: '$tot'"
  ok
}

t_update() { # update changes the limits live
  [ "$(st res)" = running ] || start res res
  d=$CG/v2test/res
  out=$($R update --memory 64m res 2>&1) || fail "update --memory 64m: $out"
  eq "memory.max after update --memory 64m" "$(rd $d/memory.max)" 67108864
  out=$($R update --pids-limit 42 --cpu-quota 20000 --cpu-period 50000 --cpu-share 512 res 2>&1) || fail "update pids/cpu: $out"
  eq "pids.max after update" "$(rd $d/pids.max)" 42
  eq "cpu.max after update" "$(rd $d/cpu.max)" "20000 50000"
  eq "cpu.weight after update --cpu-share 512" "$(rd $d/cpu.weight)" $((1 + ((512 - 2) * 9999) / 262142))
  out=$(echo '{"memory": {"limit": 33554432, "swap": 67108864}, "cpu": {"cpus": "0"}}' | $R update -r - res 2>&1) || fail "update -r -: $out"
  eq "memory.max after update -r" "$(rd $d/memory.max)" 33554432
  eq "memory.swap.max after update -r" "$(rd $d/memory.swap.max)" 33554432
  eq "cpuset.cpus after update -r" "$(rd $d/cpuset.cpus)" 0
  eq "memory.max inside after update" "$($R exec res cat /sys/fs/cgroup/memory.max 2>&1)" 33554432
  ok
}

t_ps() { # ps --format json lists the container's pids
  [ "$(st res)" = running ] || start res res
  $R exec -d res sleep 300 </dev/null >/dev/null 2>&1 || fail "exec -d failed"
  want=$(sort -n $CG/v2test/res/cgroup.procs | tr '\n' ' ')
  json=$($R ps --format json res 2>&1) || fail "ps --format json: $json"
  got=$(echo "$json" | tr -d '[] ' | tr ',' '\n' | sort -n | tr '\n' ' ')
  eq "ps --format json" "$got" "$want"
  [ $(echo "$got" | wc -w) -ge 2 ] || fail "ps shows $got: want init and the exec'd sleep"
  echo " $got " | grep -q " $(ipid res) " || fail "ps does not list init $(ipid res): $got"
  ok
}

t_delete() { # delete removes the cgroup directory (and leaves the parent)
  [ "$(st res)" = running ] || start res res
  out=$($R delete -f res 2>&1) || fail "delete -f: $out"
  [ -d $CG/v2test/res ] && fail "$CG/v2test/res still there after delete"
  $R state res >/dev/null 2>&1 && fail "state res still answers after delete"
  ok
}

t_io() { # blockIO.weight → io.weight (runc's formula)
  grep -qw io $CG/cgroup.controllers || { say "skip $CASE no io controller"; exit 0; }
  start io io
  eq io.weight "$(field $CG/v2test/io/io.weight default)" $((1 + (500 - 10) * 9999 / 990))
  del io
  ok
}

t_pids() { # pids.max caps a fork loop
  start pids pids
  d=$CG/v2test/pids
  eq pids.max "$(rd $d/pids.max)" 10
  $R exec pids sh -c 'for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do sleep 30 & done; wait' \
    </dev/null >$LOG/pids.exec 2>&1 && fail "20 forks under pids.max 10 all succeeded"
  grep -qi fork $LOG/pids.exec || fail "no fork failure reported: $(head -c 300 $LOG/pids.exec)"
  cur=$(rd $d/pids.current)
  [ "$cur" -le 10 ] || fail "pids.current $cur > 10"
  ev=$(field $d/pids.events max)
  [ "${ev:-0}" -ge 1 ] || fail "pids.events max = '$ev', want >= 1"
  del pids
  [ -d $d ] && fail "$d left after delete -f"
  ok
}

t_oom() { # memory.max is enforced: past 20 MiB the allocating process is OOM-killed
  start oom oom
  d=$CG/v2test/oom
  eq memory.max "$(rd $d/memory.max)" 20971520
  eq "memory.swap.max (swap == limit)" "$(rd $d/memory.swap.max)" 0
  wait_for 60 grep -q "big rc" $LOG/oom.out || fail "the 100 MiB reader never ended: $(rd $LOG/oom.out) $(rd $d/memory.events)"
  grep -q small-ok $LOG/oom.out || fail "5 MiB under a 20 MiB limit failed: $(rd $LOG/oom.out)"
  eq "exit of the 100 MiB reader" "$(sed -n 's/^big rc=//p' $LOG/oom.out)" 137
  k=$(field $d/memory.events oom_kill)
  [ "${k:-0}" -ge 1 ] || fail "memory.events oom_kill = '$k'"
  peak=$(rd $d/memory.peak)
  [ -z "$peak" ] || [ "$peak" -le 20971520 ] || fail "memory.peak $peak above the limit"
  eq "container still running after the OOM kill" "$(st oom)" running
  del oom
  # the container's init itself past the limit: run (foreground) reports the SIGKILL
  $R run -b $B/oominit oominit </dev/null >$LOG/oominit.out 2>&1
  rc=$?
  eq "exit status of run with init OOM-killed ($(head -c 200 $LOG/oominit.out))" "$rc" 137
  [ -d $CG/v2test/oominit ] && fail "$CG/v2test/oominit left after run ended"
  ok
}

t_freeze() { # pause freezes (cgroup.freeze, counter stops), resume thaws
  start frz freeze
  p=$(ipid frz)
  d=$CG/frz
  c=/proc/$p/root/tmp/counter
  wait_for 20 test -s $c || fail "counter never written"
  $R pause frz 2>$LOG/frz.pause || fail "pause: $(rd $LOG/frz.pause)"
  eq "cgroup.freeze after pause" "$(rd $d/cgroup.freeze)" 1
  wait_for 10 grep -qx "frozen 1" $d/cgroup.events || fail "cgroup.events never frozen 1: $(rd $d/cgroup.events)"
  eq "status after pause" "$(st frz)" paused
  a=$(cat $c); sleep 1; b=$(cat $c)
  eq "counter while paused" "$b" "$a"
  $R exec frz true >/dev/null 2>&1 && fail "exec into a paused container succeeded"
  $R resume frz 2>$LOG/frz.resume || fail "resume: $(rd $LOG/frz.resume)"
  eq "cgroup.freeze after resume" "$(rd $d/cgroup.freeze)" 0
  eq "status after resume" "$(st frz)" running
  wait_for 10 sh -c "[ \"\$(cat $c)\" != \"$b\" ]" || fail "counter stuck at $b after resume"
  # delete -f of a paused container thaws and kills it
  $R pause frz || fail "second pause"
  $R delete -f frz 2>$LOG/frz.del || fail "delete -f of a paused container: $(rd $LOG/frz.del)"
  [ -d $d ] && fail "$d left after delete -f of a paused container"
  ok
}

t_ns() { # exec lands in every namespace of init (all eight types created)
  start ns ns
  p=$(ipid ns)
  for n in cgroup ipc mnt net pid time user uts; do
    host=$(readlink /proc/$p/ns/$n)
    [ -n "$host" ] || fail "no /proc/$p/ns/$n"
    [ "$host" = "$(readlink /proc/self/ns/$n)" ] && fail "init is not in a new $n namespace"
    got=$($R exec ns readlink /proc/self/ns/$n 2>&1)
    eq "exec's $n namespace" "$got" "$host"
  done
  # and the pid namespace of the exec'd process's children, and the time one
  eq "exec's pid_for_children" "$($R exec ns readlink /proc/self/ns/pid_for_children 2>&1)" "$(readlink /proc/$p/ns/pid)"
  eq "exec's time_for_children" "$($R exec ns readlink /proc/self/ns/time_for_children 2>&1)" "$(readlink /proc/$p/ns/time)"
  del ns
  [ -d $CG/ns ] && fail "$CG/ns left after delete -f"
  ok
}

t_cycles() { # 50 create/delete cycles (half of them started) leave no cgroup behind
  before=$(ls $CG | sort | tr '\n' ' ')
  bad=0; first=; which=
  i=1
  while [ $i -le 50 ]; do
    id=cyc$i; err=
    if [ $((i % 2)) = 0 ]; then verb="run -d"; else verb=create; fi
    if ! $R $verb -b $B/cycle $id </dev/null >/dev/null 2>$LOG/cyc.err; then
      err="$verb: $(rd $LOG/cyc.err)"
    elif [ ! -d $CG/$id ]; then
      err="no $CG/$id after $verb"
    fi
    $R delete -f $id 2>$LOG/cyc.err || err="$err; delete -f: $(rd $LOG/cyc.err)"
    [ -d $CG/$id ] && err="$err; $CG/$id left after delete -f"
    if [ -n "$err" ]; then bad=$((bad + 1)); which="$which $i($verb)"; [ -n "$first" ] || first="cycle $i: $err"; fi
    i=$((i + 1))
  done
  [ $bad = 0 ] || fail "$bad of 50 cycles failed:$which; first: $first"
  eq "cgroups after 50 cycles" "$(ls $CG | sort | tr '\n' ' ')" "$before"
  eq "containers left" "$($R list -q 2>/dev/null | grep '^cyc' | tr '\n' ' ')" ""
  ok
}

t_caller() { # runcs run from a non-root cgroup that holds processes (as runc places and enables)
  mkdir -p $CG/caller
  echo $$ > $CG/caller/cgroup.procs || fail "cannot move the test shell into $CG/caller"
  # a relative (default) path on v2 goes under the PARENT of the caller's cgroup, which
  # can delegate (runc's fs2 defaultDirPath: the caller's own cgroup "most probably has
  # tasks in it already")
  start callee caller
  eq "init's cgroup (relative path from /caller)" "$(rd /proc/$(ipid callee)/cgroup)" "0::/callee"
  eq "pids.max" "$(rd $CG/callee/pids.max)" 20
  del callee
  [ -d $CG/callee ] && fail "$CG/callee left after delete -f"
  # an absolute path through the populated /caller: domain controllers cannot be enabled
  # there (EBUSY), threaded ones (cpuset cpu pids) can, one by one, as runc does
  start callee2 caller2
  eq "caller's subtree_control" "$(rd $CG/caller/cgroup.subtree_control)" "cpuset cpu pids"
  eq "pids.max under /caller" "$(rd $CG/caller/callee2/pids.max)" 20
  del callee2
  [ -d $CG/caller/callee2 ] && fail "$CG/caller/callee2 left after delete -f"
  # and a memory limit there cannot work: an error that says why, nothing left behind
  $R run -d -b $B/caller3 callee3 </dev/null >/dev/null 2>$LOG/callee3.err && fail "run -d with a memory limit below a populated cgroup succeeded"
  grep -q "domain controllers" $LOG/callee3.err || fail "error does not name domain controllers: $(head -c 300 $LOG/callee3.err)"
  [ -d $CG/caller/callee3 ] && fail "$CG/caller/callee3 left after the failed run"
  $R delete -f callee3 >/dev/null 2>&1
  echo $$ > $CG/cgroup.procs
  rmdir $CG/caller 2>/dev/null
  ok
}

t_devices_ebpf() { # device rules as an eBPF program on the cgroup; update replaces it live
  start dev devices
  x() { $R exec dev sh -c "$1" </dev/null >$LOG/dev.x 2>&1; }
  eperm() { # eperm WHAT: the last x failed, and with EPERM
    grep -q "Operation not permitted" $LOG/dev.x || fail "$1: want EPERM, got: $(rd $LOG/dev.x)"
  }
  x 'mknod /tmp/kmsg c 1 11 && mknod /tmp/loop b 7 0' || fail "mknod (c *:* m and b *:* m allow every mknod): $(rd $LOG/dev.x)"
  x ': > /tmp/kmsg' || fail "write-open of c 1:11, which a rule allows: $(rd $LOG/dev.x)"
  x ': < /tmp/loop' && fail "read-open of b 7:0 succeeded: no rule allows it"
  eperm "read-open of b 7:0"
  x 'echo hi > /dev/null' || fail "write to /dev/null (always allowed, after the config's deny of it): $(rd $LOG/dev.x)"
  # new rules replace the program: writes to c 1:11 denied now
  echo '{"devices": [{"allow": false, "access": "rwm"}]}' > /tmp/dev-deny.json
  out=$($R update -r /tmp/dev-deny.json dev 2>&1) || fail "update -r (deny all): $out"
  x ': > /tmp/kmsg' && fail "write-open of c 1:11 after update denied all"
  eperm "write-open of c 1:11 after update denied all"
  x 'echo hi > /dev/null' || fail "write to /dev/null after update denied all (always allowed): $(rd $LOG/dev.x)"
  # an update without device rules leaves the program as it is
  out=$($R update --pids-limit 50 dev 2>&1) || fail "update --pids-limit: $out"
  x ': > /tmp/kmsg' && fail "write-open of c 1:11 after an update without device rules"
  eperm "write-open of c 1:11 after an update without device rules"
  # allowed again: the deny-all program is gone (two attached programs must both allow)
  echo '{"devices": [{"allow": false, "access": "rwm"}, {"allow": true, "type": "c", "major": 1, "minor": 11, "access": "w"}]}' > /tmp/dev-allow.json
  out=$($R update -r /tmp/dev-allow.json dev 2>&1) || fail "update -r (allow c 1:11 w): $out"
  x ': > /tmp/kmsg' || fail "write-open of c 1:11 after update allowed it again: $(rd $LOG/dev.x)"
  x ': < /tmp/loop' && fail "read-open of b 7:0 succeeded after the updates"
  eperm "read-open of b 7:0 after the updates"
  # bad rules: one line naming the field, the program untouched
  echo '{"devices": [{"allow": true, "type": "x", "access": "rwm"}]}' > /tmp/dev-bad.json
  out=$($R update -r /tmp/dev-bad.json dev 2>&1) && fail "update with device type x succeeded"
  echo "$out" | grep -q "devices\[0\].type" || fail "error for a bad device type does not name the field: $out"
  x ': > /tmp/kmsg' || fail "write-open of c 1:11 after a refused update: $(rd $LOG/dev.x)"
  del dev
  [ -d $CG/dev ] && fail "$CG/dev left after delete -f"
  ok
}

t_timing() { # not in the default list: how long runcs commands take in this VM
  tm() { s=$(cut -d' ' -f1 /proc/uptime); "$@" </dev/null >/dev/null 2>&1; r=$?
    say "info timing $(awk -v a=$s -v b=$(cut -d' ' -f1 /proc/uptime) 'BEGIN{printf "%.2f", b-a}') s rc=$r: $*"; }
  tm true
  tm /bin/runcs --version
  tm md5sum /bin/runcs
  tm $R list
  tm $R create -b $B/cycle tm1
  tm $R state tm1
  tm $R start tm1
  tm $R exec tm1 true
  tm $R ps tm1
  tm $R kill tm1 KILL
  tm $R delete -f tm1
  tm $R run -d -b $B/cycle tm2
  tm $R delete -f tm2
  tm $R run -d -b $B/ns tm3
  tm $R exec tm3 true
  tm $R delete -f tm3
  $R delete -f tm3 >/dev/null 2>&1
  ok
}

CASES="limits inside stats update ps delete io pids oom freeze ns caller cycles devices_ebpf"

case "${1:-all}" in
one)
  CASE=$(echo "$2" | tr _ -); t_$2 ;;
all)
  shift
  [ $# -gt 0 ] && CASES="$*"
  for c in $CASES; do
    s=$(cut -d' ' -f1 /proc/uptime)
    timeout 120 sh "$0" one $c > $LOG/case.out 2>&1
    rc=$?
    name=$(echo $c | tr _ -)
    grep -q "^V2TEST \(pass\|fail\|skip\) $name" $LOG/case.out || \
      say "fail $name ended without a verdict (rc=$rc$([ $rc = 143 ] && echo ', timed out after 120 s'))" >> $LOG/case.out
    cat $LOG/case.out
    cat $LOG/case.out >> $LOG/all.out
    say "info $name took $(awk -v a=$s -v b=$(cut -d' ' -f1 /proc/uptime) 'BEGIN{printf "%.1f", b-a}') s"
  done
  # a case that failed half-way may leave containers: remove them all the same
  for id in $($R list -q 2>/dev/null); do $R delete -f $id >/dev/null 2>&1; done
  say "summary $(grep -c '^V2TEST pass ' $LOG/all.out) passed $(grep -c '^V2TEST fail ' $LOG/all.out) failed $(grep -c '^V2TEST skip ' $LOG/all.out) skipped"
  ;;
esac
