#!/bin/bash
# ns-compare.sh — where does `exec` land? runc vs runcs, side by side.
#
# Documentation, not a test: for each scenario it starts one container with runc and one
# with runcs (same config, each runtime with its own --root), then runs
# `exec ID readlink /proc/self/ns/TYPE` for all eight namespace types and compares with
# `readlink /proc/<init pid>/ns/TYPE` read from the host. It prints a markdown table:
#   scenario | type | init's ns | runc exec lands in | runcs exec lands in | verdict
# Rows: the type(s) a scenario is about, then one row summing up the other types.
#
# Scenarios (numbers as in tests/Integration/Namespaces):
#   1  network inherited: `nsenter --net=/var/run/netns/X RUNTIME run -d`, no network entry in config.json
#   2  network inherited: `ip netns exec X RUNTIME run -d`, no network entry
#   3  network joined by path, then `ip netns del X; ip netns add X` before exec
#   5  uts+ipc inherited: `unshare --uts --ipc sh -c 'hostname foo; RUNTIME run -d ...'`, no uts/ipc entries
#   4  all eight created (user 0->100000, cgroup, time offsets); 4b: the same without time
#
# In 1, 2 and 5 one creator process starts both containers, so both inits share the
# inherited namespace. Needs root, jq, iproute2, util-linux; cleans up everything it made.
# Usage: bench/ns-compare.sh   (env RUNC, RUNCS to pick the binaries)
set -uo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
RUNC=${RUNC:-/usr/sbin/runc}
RUNCS=${RUNCS:-$here/bin/runcs}
TYPES=(mnt uts ipc net pid user cgroup time)
tag=$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')
work=$(mktemp -d "/tmp/ns-compare-$tag.XXXX")
chmod 755 "$work"   # the user-namespace scenarios' root (host uid 100000) must reach the bundles
root_runc=/run/ns-compare-runc-$tag
root_runcs=/run/ns-compare-runcs-$tag
netns_made=()
containers=()   # "runtime-name id"

rt_bin() { if [[ $1 == runc ]]; then echo "$RUNC"; else echo "$RUNCS"; fi; }
rt_root() { if [[ $1 == runc ]]; then echo "$root_runc"; else echo "$root_runcs"; fi; }
rt() { local n=$1; shift; "$(rt_bin "$n")" --root "$(rt_root "$n")" "$@"; }

cleanup() {
  local c
  for c in "${containers[@]}"; do
    set -- $c
    rt "$1" delete --force "$2" >/dev/null 2>&1
  done
  for c in "${netns_made[@]}"; do ip netns del "$c" >/dev/null 2>&1; done
  rm -rf "$work"
  rm -rf "$root_runc" "$root_runcs"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

die() { echo "ns-compare: $*" >&2; exit 1; }
[[ $(id -u) == 0 ]] || die "must run as root"
for b in "$RUNC" "$RUNCS"; do [[ -x $b ]] || die "no binary at $b"; done
command -v jq >/dev/null || die "needs jq"

# new_netns NAME: sets x to a fresh named network namespace (not in a subshell: cleanup must know it).
new_netns() {
  x="runcs-t-$tag-$1"
  ip netns add "$x" || die "ip netns add $x failed"
  netns_made+=("$x")
}

# bundle NAME: a busybox bundle running `sleep 1000`, writable rootfs; prints its dir.
bundle() {
  local d="$work/$1"
  RUNTIME_FOR_SPEC="$RUNCS" "$here/bundles/make-bundle.sh" "$d" sleep 1000 >/dev/null || die "make-bundle.sh $d failed"
  edit "$d" '.root.readonly = false'
  echo "$d"
}
edit() { jq "$2" "$1/config.json" > "$1/config.json.tmp" && mv "$1/config.json.tmp" "$1/config.json"; }
drop_ns() { local d=$1; shift; local t; for t in "$@"; do edit "$d" "del(.linux.namespaces[] | select(.type == \"$t\"))"; done; }
all_eight() {
  local d=$1 with_time=$2
  edit "$d" '.linux.namespaces += [{"type":"user"},{"type":"cgroup"}]
    | .linux.uidMappings = [{"containerID":0,"hostID":100000,"size":65536}]
    | .linux.gidMappings = [{"containerID":0,"hostID":100000,"size":65536}]'
  if [[ $with_time == yes ]]; then
    edit "$d" '.linux.namespaces += [{"type":"time"}]
      | .linux.timeOffsets = {"monotonic":{"secs":1000,"nanosecs":0},"boottime":{"secs":86400,"nanosecs":0}}'
  fi
  chown -R 100000:100000 "$d/rootfs"
}

# The creator: a script that starts the given containers ("runtime bundle id" triples),
# run under a wrapper (nsenter, ip netns exec, unshare) so that both inherit the same namespaces.
cat > "$work/start.sh" <<'EOF'
#!/bin/bash
# start.sh ROOT_RUNC RUNC ROOT_RUNCS RUNCS [runtime bundle id]...
root_runc=$1 runc=$2 root_runcs=$3 runcs=$4; shift 4
while [[ $# -ge 3 ]]; do
  if [[ $1 == runc ]]; then b=$runc r=$root_runc; else b=$runcs r=$root_runcs; fi
  (cd "$2" && "$b" --root "$r" run -d --bundle "$2" "$3" </dev/null >/dev/null 2>"$2.err")
  shift 3
done
EOF
chmod +x "$work/start.sh"

# start SCENARIO BUNDLE_RUNC BUNDLE_RUNCS WRAPPER...: starts both; fills id_runc, id_runcs.
start() {
  local s=$1 b_runc=$2 b_runcs=$3; shift 3
  id_runc="nsc-$tag-$s-runc"; id_runcs="nsc-$tag-$s-runcs"
  containers+=("runc $id_runc" "runcs $id_runcs")
  "$@" "$work/start.sh" "$root_runc" "$RUNC" "$root_runcs" "$RUNCS" \
    runc "$b_runc" "$id_runc" runcs "$b_runcs" "$id_runcs"
}

# init_pid RUNTIME ID: the pid, or empty when the container is not running.
init_pid() {
  local p; p=$(rt "$1" state "$2" 2>/dev/null | jq -r 'select(.status == "running") | .pid')
  [[ -n $p && $p != 0 ]] && echo "$p"
}

# probe RUNTIME ID BUNDLE: fills init_ns[TYPE] and landed[TYPE] for one container; failed=reason.
probe() {
  local name=$1 id=$2 b=$3 t pid
  declare -gA init_ns=() landed=()
  failed=""
  pid=$(init_pid "$name" "$id")
  if [[ -z $pid ]]; then
    failed="cannot run: $(sed -e 's/^time="[^"]*" level=error msg="//' -e 's/"$//' -e 's/\\"/"/g' "$b.err" 2>/dev/null | tr '|' '/' | tr -s ' ' | head -c 160)"
    return
  fi
  for t in "${TYPES[@]}"; do
    init_ns[$t]=$(readlink "/proc/$pid/ns/$t")
    landed[$t]=$(rt "$name" exec "$id" readlink "/proc/self/ns/$t" 2>&1 | head -1 | tr -d '\n' | head -c 60)
  done
}

declare -A host_ns=()
for t in "${TYPES[@]}"; do host_ns[$t]=$(readlink "/proc/self/ns/$t"); done
declare -A extra_label=()   # namespace -> label (e.g. the recreated X)

# label NS: "= host" / "= new X" hints for a namespace that is not init's.
label() {
  local v=$1 t=$2
  if [[ ${extra_label[$v]+x} ]]; then echo " (${extra_label[$v]})"
  elif [[ $v == "${host_ns[$t]}" ]]; then echo " (host)"
  fi
}

# cell: what one runtime's exec got for type T, against its own init.
cell() {
  local t=$1
  if [[ -n $failed ]]; then echo "—"; return; fi
  local v=${landed[$t]}
  if [[ $v == "${init_ns[$t]}" ]]; then echo "\`$v\` = init ✓"
  else echo "\`$v\`$(label "$v" "$t") ✗"; fi
}
ok_of() { [[ -z $failed && ${landed[$1]} == "${init_ns[$1]}" ]]; }

# report SCENARIO_TITLE "TYPES OF INTEREST..." : one row per type of interest + one summary row.
report() {
  local title=$1 focus=$2 t
  local -A r_init=() r_land=() c_init=() c_land=()
  local r_failed c_failed
  probe runc "$id_runc" "$b_runc";   r_failed=$failed
  for t in "${TYPES[@]}"; do r_init[$t]=${init_ns[$t]:-}; r_land[$t]=${landed[$t]:-}; done
  probe runcs "$id_runcs" "$b_runcs"; c_failed=$failed
  for t in "${TYPES[@]}"; do c_init[$t]=${init_ns[$t]:-}; c_land[$t]=${landed[$t]:-}; done

  local others=() rc_ok=0 cc_ok=0 n=0
  for t in "${TYPES[@]}"; do
    if [[ " $focus " == *" $t "* ]]; then
      local init_cell rcell ccell verdict
      if [[ -z $r_failed && -z $c_failed && ${r_init[$t]} == "${c_init[$t]}" ]]; then init_cell="\`${c_init[$t]}\`$(label "${c_init[$t]}" "$t")"
      else
        init_cell=""
        [[ -z $r_failed ]] && init_cell+="runc \`${r_init[$t]}\`"
        [[ -z $r_failed && -z $c_failed ]] && init_cell+=", "
        [[ -z $c_failed ]] && init_cell+="runcs \`${c_init[$t]}\`"
      fi
      declare -gA init_ns=() landed=()
      failed=$r_failed; for x in "${TYPES[@]}"; do init_ns[$x]=${r_init[$x]}; landed[$x]=${r_land[$x]}; done
      rcell=$(cell "$t"); ok_of "$t"; local rok=$?
      [[ -n $r_failed ]] && rcell="runc $r_failed"
      failed=$c_failed; for x in "${TYPES[@]}"; do init_ns[$x]=${c_init[$x]}; landed[$x]=${c_land[$x]}; done
      ccell=$(cell "$t"); ok_of "$t"; local cok=$?
      [[ -n $c_failed ]] && ccell="runcs $c_failed"
      verdict=$(verdict "$rok" "$cok" "$r_failed")
      echo "| $title | $t | $init_cell | $rcell | $ccell | $verdict |"
    else
      others+=("$t"); n=$((n + 1))
      [[ -z $r_failed && ${r_land[$t]} == "${r_init[$t]}" ]] && rc_ok=$((rc_ok + 1))
      [[ -z $c_failed && ${c_land[$t]} == "${c_init[$t]}" ]] && cc_ok=$((cc_ok + 1))
    fi
  done
  if [[ $n -gt 0 ]]; then
    local rcell="$rc_ok/$n = init" ccell="$cc_ok/$n = init"
    [[ -n $r_failed ]] && rcell="—"
    [[ -n $c_failed ]] && ccell="—"
    local rok=1 cok=1
    [[ -z $r_failed && $rc_ok == "$n" ]] && rok=0
    [[ -z $c_failed && $cc_ok == "$n" ]] && cok=0
    echo "| $title | others (${others[*]}) | each container's own | $rcell | $ccell | $(verdict "$rok" "$cok" "$r_failed") |"
  fi
}

verdict() {
  local rok=$1 cok=$2 rfail=$3
  if [[ -n $rfail ]]; then
    [[ $cok == 0 ]] && echo "runc cannot run it; runcs ✓" || echo "runc cannot run it; runcs ✗"
  elif [[ $rok == 0 && $cok == 0 ]]; then echo "both ✓"
  elif [[ $rok != 0 && $cok == 0 ]]; then echo "**runc ✗**, runcs ✓"
  elif [[ $rok == 0 ]]; then echo "runc ✓, **runcs ✗**"
  else echo "**both ✗**"
  fi
}

echo "| scenario | type | init's ns | runc exec lands in | runcs exec lands in | verdict |"
echo "|---|---|---|---|---|---|"

# 1: nsenter --net, no network entry.
new_netns s1
b_runc=$(bundle s1-runc); b_runcs=$(bundle s1-runcs); drop_ns "$b_runc" network; drop_ns "$b_runcs" network
start s1 "$b_runc" "$b_runcs" nsenter --net="/var/run/netns/$x"
extra_label[$(ip netns exec "$x" readlink /proc/self/ns/net)]="X"
report "1 nsenter --net=X (inherited)" "net"

# 2: ip netns exec, no network entry.
new_netns s2
b_runc=$(bundle s2-runc); b_runcs=$(bundle s2-runcs); drop_ns "$b_runc" network; drop_ns "$b_runcs" network
start s2 "$b_runc" "$b_runcs" ip netns exec "$x"
extra_label[$(ip netns exec "$x" readlink /proc/self/ns/net)]="X"
report "2 ip netns exec X (inherited)" "net"

# 3: network by path, then the path gets a new namespace.
new_netns s3
b_runc=$(bundle s3-runc); b_runcs=$(bundle s3-runcs)
for b in "$b_runc" "$b_runcs"; do edit "$b" "(.linux.namespaces[] | select(.type == \"network\")) .path = \"/var/run/netns/$x\""; done
start s3 "$b_runc" "$b_runcs" env
extra_label[$(ip netns exec "$x" readlink /proc/self/ns/net)]="old X"
ip netns del "$x" && ip netns add "$x"
extra_label[$(ip netns exec "$x" readlink /proc/self/ns/net)]="new X"
report "3 path X, X recreated (joined)" "net"

# 5: uts+ipc from an unshare'd creator with hostname foo.
b_runc=$(bundle s5-runc); b_runcs=$(bundle s5-runcs)
for b in "$b_runc" "$b_runcs"; do drop_ns "$b" uts ipc; edit "$b" 'del(.hostname)'; done
start s5 "$b_runc" "$b_runcs" unshare --uts --ipc /bin/sh -c 'hostname foo && exec "$@"' sh
report "5 unshare --uts --ipc (inherited)" "uts ipc"

# 4: all eight created; 4b without time (runc 1.1.5 has no time namespace).
b_runc=$(bundle s4-runc); b_runcs=$(bundle s4-runcs); all_eight "$b_runc" yes; all_eight "$b_runcs" yes
start s4 "$b_runc" "$b_runcs" env
report "4 all eight created" "${TYPES[*]}"

b_runc=$(bundle s4b-runc); b_runcs=$(bundle s4b-runcs); all_eight "$b_runc" no; all_eight "$b_runcs" no
start s4b "$b_runc" "$b_runcs" env
report "4b seven created (no time)" "user cgroup"
