# Helpers for conformance cases. Sourced by lib/case.sh (one bash process per case).
# Environment from run.sh: RT (runtime under test), ROOT (private --root), WORK (run dir),
# TEMPLATE (bundle template: rootfs + the runtime's own `spec` config), FEATURES (features
# JSON or {}), RUN_ID, CASE_NO, CASE_DIR (this case's scratch dir), SUITE.

# ---------------------------------------------------------------- results
# A case ends with pass (or by returning), fail REASON or skip REASON.
pass() { exit 0; }
fail() { printf '%s\n' "$*" > "$CASE_DIR/reason"; exit 1; }
skip() { printf '%s\n' "$*" > "$CASE_DIR/reason"; exit 77; }

trace() { printf '%s\n' "$*" >> "$CASE_DIR/trace"; }

# ---------------------------------------------------------------- the runtime
# R ARGS...: runs the runtime with the private --root; stdin /dev/null, stdout and stderr
# to fresh files (a detached container keeps its own files). Sets RC, OUT, ERR.
_rn=0
R() {
  _rn=$((_rn + 1))
  local o="$CASE_DIR/r$_rn.out" e="$CASE_DIR/r$_rn.err"
  timeout -k 2 "${RT_TIMEOUT:-15}" "$RT" --root "$ROOT" "$@" </dev/null >"$o" 2>"$e"
  RC=$?
  OUT=$(cat "$o"); ERR=$(cat "$e")
  _trace_cmd "$RT_NAME $*"
  return $RC
}
# RW WRAPPER... -- ARGS...: as R, with the runtime started under WRAPPER (nsenter, unshare, sh -c).
RW() {
  local w=()
  while [[ $# -gt 0 && $1 != -- ]]; do w+=("$1"); shift; done
  shift
  _rn=$((_rn + 1))
  local o="$CASE_DIR/r$_rn.out" e="$CASE_DIR/r$_rn.err"
  timeout -k 2 "${RT_TIMEOUT:-15}" "${w[@]}" "$RT" --root "$ROOT" "$@" </dev/null >"$o" 2>"$e"
  RC=$?
  OUT=$(cat "$o"); ERR=$(cat "$e")
  _trace_cmd "${w[*]} $RT_NAME $*"
  return $RC
}
_trace_cmd() {
  {
    printf '$ %s\n  rc=%s\n' "$1" "$RC"
    [[ -n $OUT ]] && printf '  stdout: %s\n' "$(printf '%s' "$OUT" | head -c 1500 | sed '2,$s/^/          /')"
    [[ -n $ERR ]] && printf '  stderr: %s\n' "$(printf '%s' "$ERR" | head -c 1500 | sed '2,$s/^/          /')"
  } >> "$CASE_DIR/trace"
}
# Last command's output, for failure reasons.
said() { local s="${ERR:-$OUT}"; s=${s//$'\n'/ }; printf '%s' "${s:0:300}"; }

# new_id: a container id unique to this run and case, remembered for cleanup.
new_id() {
  local n; n=$(( $(wc -l 2>/dev/null < "$CASE_DIR/ids" || echo 0) + 1 ))
  local id="cf$RUN_ID-$CASE_NO-$n"
  echo "$id" >> "$CASE_DIR/ids"
  echo "$id"
}

# ---------------------------------------------------------------- bundles
# mkb [NAME]: a bundle at $CASE_DIR/NAME (default b) from the template; sets B.
mkb() {
  B="$CASE_DIR/${1:-b}"
  mkdir -p "$B"
  cp -a "$TEMPLATE/rootfs" "$B/rootfs"
  cp "$TEMPLATE/config.json" "$B/config.json"
}
# cfg FILTER [jq args...]: edit $B/config.json in place.
cfg() {
  local f=$1; shift
  jq "$f" "$B/config.json" "$@" > "$B/config.json.tmp" || { echo "cfg: jq failed: $f" >&2; return 1; }
  mv "$B/config.json.tmp" "$B/config.json"
}
# jarr ARG...: a JSON array of strings (any characters, leading dashes included).
jarr() { jq -nc '$ARGS.positional' --args -- "$@"; }
args() { cfg '.process.args = $a' --argjson a "$(jarr "$@")"; }
shargs() { args sh -c "$1"; }

# ns_set TYPE [PATH]: the namespace TYPE (OCI name) is created, or joined from PATH.
ns_set() {
  if [[ -n ${2:-} ]]; then
    cfg '.linux.namespaces = ([.linux.namespaces[]? | select(.type != $t)] + [{type: $t, path: $p}])' --arg t "$1" --arg p "$2"
  else
    cfg '.linux.namespaces = ([.linux.namespaces[]? | select(.type != $t)] + [{type: $t}])' --arg t "$1"
  fi
}
# ns_del TYPE: the container inherits the runtime's namespace of TYPE. Never let a container
# set the host's hostname or sysctls: drop what would then apply to the host.
ns_del() {
  cfg '.linux.namespaces = [.linux.namespaces[]? | select(.type != $t)]' --arg t "$1"
  case $1 in
    uts) cfg 'del(.hostname) | del(.domainname)' ;;
    network) cfg 'if .linux.sysctl then .linux.sysctl |= with_entries(select(.key | startswith("net.") | not)) else . end' ;;
    ipc) cfg 'if .linux.sysctl then .linux.sysctl |= with_entries(select(.key | test("^(kernel\\.(shm|msg|sem)|fs\\.mqueue\\.)") | not)) else . end' ;;
  esac
}
# userns_map: a user namespace mapping container 0..65535 to host 100000..165535.
userns_map() {
  ns_set user
  cfg '.linux.uidMappings = [{containerID: 0, hostID: 100000, size: 65536}]
     | .linux.gidMappings = [{containerID: 0, hostID: 100000, size: 65536}]'
}
add_caps() {  # add_caps CAP...: add to bounding, effective, permitted
  local c
  for c in "$@"; do
    cfg '.process.capabilities |= (.bounding += [$c] | .effective += [$c] | .permitted += [$c] | .bounding |= unique | .effective |= unique | .permitted |= unique)' --arg c "$c"
  done
}
# add_mount DEST TYPE SOURCE [OPTION...]
add_mount() {
  local d=$1 t=$2 s=$3; shift 3
  cfg '.mounts += [{destination: $d, type: $t, source: $s, options: $o}]' --arg d "$d" --arg t "$t" --arg s "$s" --argjson o "$(jarr "$@")"
}

# ---------------------------------------------------------------- running
# run_sh SCRIPT: run a container (foreground) in $B with `sh -c SCRIPT`; sets ID, RC, OUT, ERR.
run_sh() { shargs "$1"; ID=$(new_id); R run -b "$B" "$ID"; }
# run_args ARG...: likewise with process.args = ARG...
run_args() { args "$@"; ID=$(new_id); R run -b "$B" "$ID"; }
# must_run_sh SCRIPT: run_sh and fail the case if the container did not exit 0.
must_run_sh() { run_sh "$1" || fail "container exited $RC: $(said)"; }
# start_bg SCRIPT: a detached running container (run -d) in $B; sets ID, PID.
start_bg() {
  shargs "$1"; ID=$(new_id)
  R run -d -b "$B" "$ID" || fail "run -d failed (rc=$RC): $(said)"
  PID=$(state_of "$ID" .pid)
}
# create_only SCRIPT: a created container; sets ID, PID.
create_only() {
  shargs "$1"; ID=$(new_id)
  R create -b "$B" "$ID" || fail "create failed (rc=$RC): $(said)"
  PID=$(state_of "$ID" .pid)
}
# state_of ID FILTER [jq options]: a field of `state ID` (fails when state fails).
state_of() {
  local o e rc
  o=$(timeout -k 2 15 "$RT" --root "$ROOT" state "$1" </dev/null 2>"$CASE_DIR/state.err"); rc=$?
  printf '$ %s state %s\n  rc=%s\n  stdout: %s\n' "$RT_NAME" "$1" "$rc" "$(printf '%s' "$o" | tr '\n' ' ' | head -c 600)" >> "$CASE_DIR/trace"
  [[ $rc -eq 0 ]] || return 1
  printf '%s' "$o" | jq -r "$2" "${@:3}" 2>/dev/null
}
status_of() { state_of "$1" .status; }
# wait_status ID STATUS [SECONDS]
wait_status() {
  local end=$((SECONDS + ${3:-5})) s
  while :; do
    s=$(status_of "$1")
    [[ $s == "$2" ]] && return 0
    [[ $SECONDS -ge $end ]] && return 1
    sleep 0.1
  done
}
# wait_for SECONDS CMD...: poll until CMD succeeds.
wait_for() {
  local end=$((SECONDS + $1)); shift
  until "$@"; do
    [[ $SECONDS -ge $end ]] && return 1
    sleep 0.05
  done
}
# ---------------------------------------------------------------- observing
host_ns() { readlink "/proc/self/ns/$1"; }
pid_ns() { readlink "/proc/$1/ns/$2"; }
procname() {  # OCI namespace type -> /proc/PID/ns name
  case $1 in network) echo net ;; mount) echo mnt ;; *) echo "$1" ;; esac
}
feat() { jq -r "$1" "$FEATURES" "${@:2}" 2>/dev/null; }   # feat FILTER [jq options]
# need_ns TYPE: skip unless `features` lists the namespace type (or the runtime has no features).
need_ns() {
  if [[ $(feat '.linux.namespaces | type') == array ]] && [[ $(feat '[.linux.namespaces[] | select(. == $t)] | length' --arg t "$1") == 0 ]]; then
    skip "runtime's features do not list namespace '$1'"
  fi
  [[ -e /proc/self/ns/$(procname "$1") ]] || skip "kernel has no $1 namespace"
}
need_hook() {
  [[ $(feat '[.hooks[]? | select(. == $h)] | length' --arg h "$1") -gt 0 ]] || skip "runtime's features do not list the '$1' hook"
}
need_mount_option() {
  if [[ $(feat '.mountOptions | type') == array ]] && [[ $(feat '[.mountOptions[] | select(. == $o)] | length' --arg o "$1") == 0 ]]; then
    skip "runtime's features do not list mount option '$1'"
  fi
}
# helper processes and host-side objects, all cleaned up by the runner
remember_pid() { echo "$1" >> "$CASE_DIR/pids"; }
remember_mount() { echo "$1" >> "$CASE_DIR/mounts"; }
# new_netns: a named network namespace (ip netns), removed by the runner; prints its name.
new_netns() {
  local n; n="cf$RUN_ID-$CASE_NO-$RANDOM"
  ip netns add "$n" || return 1
  trace "# ip netns add $n"
  echo "$n" >> "$CASE_DIR/netns"
  echo "$n"
}
# ns_holder TYPE: a process in a new namespace of TYPE (OCI name); prints the pid whose
# /proc/PID/ns/<type> is that namespace. User namespaces map 0..65535 to themselves.
ns_holder() {
  local t=$1 flag pid child
  case $t in
    pid) setsid unshare --pid --fork --mount --mount-proc --propagation private sleep 1000 </dev/null >/dev/null 2>&1 & ;;
    time) setsid unshare --time --fork sleep 1000 </dev/null >/dev/null 2>&1 & ;;
    mount) setsid unshare --mount --propagation private sleep 1000 </dev/null >/dev/null 2>&1 & ;;
    network) setsid unshare --net sleep 1000 </dev/null >/dev/null 2>&1 & ;;
    user) setsid unshare --user sleep 1000 </dev/null >/dev/null 2>&1 & ;;
    *) setsid unshare --"$t" sleep 1000 </dev/null >/dev/null 2>&1 & ;;
  esac
  pid=$!
  remember_pid "$pid"
  if [[ $t == pid || $t == time ]]; then
    wait_for 5 _has_child "$pid" || return 1
    child=$(_first_child "$pid"); remember_pid "$child"; pid=$child
  fi
  wait_for 5 _ns_differs "$pid" "$(procname "$t")" || return 1
  if [[ $t == user ]]; then
    echo "0 0 65536" > "/proc/$pid/uid_map" && echo "0 0 65536" > "/proc/$pid/gid_map" || return 1
  fi
  trace "# holder of a new $t namespace: pid $pid ($(readlink "/proc/$pid/ns/$(procname "$t")"))"
  echo "$pid"
}
_has_child() { [[ -n $(_first_child "$1") ]]; }
_first_child() { cat "/proc/$1/task/$1/children" 2>/dev/null | awk '{print $1}'; }
_ns_differs() { [[ -e /proc/$1/ns/$2 && $(readlink "/proc/$1/ns/$2") != "$(readlink "/proc/self/ns/$2")" ]]; }

# capability names by number, for /proc/PID/status masks
CAPS=(CAP_CHOWN CAP_DAC_OVERRIDE CAP_DAC_READ_SEARCH CAP_FOWNER CAP_FSETID CAP_KILL CAP_SETGID
  CAP_SETUID CAP_SETPCAP CAP_LINUX_IMMUTABLE CAP_NET_BIND_SERVICE CAP_NET_BROADCAST CAP_NET_ADMIN
  CAP_NET_RAW CAP_IPC_LOCK CAP_IPC_OWNER CAP_SYS_MODULE CAP_SYS_RAWIO CAP_SYS_CHROOT CAP_SYS_PTRACE
  CAP_SYS_PACCT CAP_SYS_ADMIN CAP_SYS_BOOT CAP_SYS_NICE CAP_SYS_RESOURCE CAP_SYS_TIME
  CAP_SYS_TTY_CONFIG CAP_MKNOD CAP_LEASE CAP_AUDIT_WRITE CAP_AUDIT_CONTROL CAP_SETFCAP
  CAP_MAC_OVERRIDE CAP_MAC_ADMIN CAP_SYSLOG CAP_WAKE_ALARM CAP_BLOCK_SUSPEND CAP_AUDIT_READ
  CAP_PERFMON CAP_BPF CAP_CHECKPOINT_RESTORE)
# cap_mask CAP...: the 16-hex-digit mask /proc/PID/status prints for that set.
cap_mask() {
  local m=0 c i
  for c in "$@"; do
    for i in "${!CAPS[@]}"; do [[ ${CAPS[$i]} == "$c" ]] && m=$((m | (1 << i))); done
  done
  printf '%016x' "$m"
}
# status_field TEXT FIELD: the value of "FIELD:" in a /proc/PID/status dump.
status_field() { printf '%s\n' "$1" | awk -v f="$2:" '$1 == f { $1 = ""; sub(/^ +/, ""); print; exit }'; }
# proc_limit TEXT NAME: "soft hard" for a "Max NAME" row of /proc/PID/limits.
proc_limit() {
  printf '%s\n' "$1" | awk -v n="Max $2 " 'index($0, n) == 1 { s = substr($0, 27); split(s, a, " "); print a[1], a[2]; exit }'
}
# expect_eq WHAT ACTUAL EXPECTED
expect_eq() { [[ $2 == "$3" ]] || fail "$1: got '$2', want '$3'"; }

# ---------------------------------------------------------------- mountinfo
# mountinfo_of MOUNTPOINT: print, from inside the container in $B, the last mountinfo line of
# MOUNTPOINT (the top mount). Sets MI (the line) or fails the case.
mountinfo_of() {
  run_sh "cat /proc/self/mountinfo" || fail "container failed (rc=$RC): $(said)"
  MI=$(printf '%s\n' "$OUT" | awk -v m="$1" '$5 == m' | tail -1)
  [[ -n $MI ]] || fail "$1 is not a mount point in the container"
}
mi_fstype() { printf '%s\n' "$1" | awk '{ for (i = 7; i <= NF; i++) if ($i == "-") { print $(i + 1); exit } }'; }
mi_opts() { printf '%s\n' "$1" | awk '{ print $6 }'; }
mi_optional() { printf '%s\n' "$1" | awk '{ s = ""; for (i = 7; i <= NF && $i != "-"; i++) s = s " " $i; print substr(s, 2) }'; }
mi_super() { printf '%s\n' "$1" | awk '{ print $NF }'; }
has_opt() { [[ ",$1," == *",$2,"* ]]; }   # has_opt "a,b,c" b
