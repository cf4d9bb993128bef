#!/bin/bash
# Black-box OCI runtime conformance suite for runc-compatible command lines.
#
#   conformance/run.sh [-k REGEX] [-l LOGFILE] [-j JOBS] [-v] [--list] [RUNTIME]
#
# RUNTIME defaults to ../bin/runcs. Prints one line per case
#   pass|fail|skip|xfail|xpass <id> <spec ref> [reason]
# and last "N passed, M failed, K skipped". Exit 0 when nothing unexpected failed.
#   -k REGEX   run only the cases whose id matches REGEX
#   -l FILE    write the commands and outputs of every failing case to FILE
#   -j JOBS    run JOBS cases at a time (default 3, or $CONFORMANCE_JOBS)
#   -v         print the spec sentence under each line
#   --list     list the cases (id, spec ref, sentence) and exit
set -u
SUITE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$SUITE/.." && pwd)
FILTER= LOGFILE= JOBS=${CONFORMANCE_JOBS:-3} VERBOSE=0 LIST=0
while [[ $# -gt 0 ]]; do
  case $1 in
    -k) FILTER=$2; shift 2 ;;
    -l) LOGFILE=$2; shift 2 ;;
    -j) JOBS=$2; shift 2 ;;
    -v) VERBOSE=1; shift ;;
    --list) LIST=1; shift ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "unknown option $1" >&2; exit 2 ;;
    *) break ;;
  esac
done

# ---------------------------------------------------------------- registry
IDS=() REFS=() QUOTES=() FUNCS=()
declare -A SEEN=()
reg() {  # reg ID SPEC-REF "quoted MUST/SHOULD sentence"   (the case is function t_<id>)
  local f="t_${1//[-.]/_}"
  [[ -z ${SEEN[$1]:-} ]] || { echo "duplicate case id $1" >&2; exit 2; }
  SEEN[$1]=1
  IDS+=("$1"); REFS+=("$2"); QUOTES+=("$3"); FUNCS+=("$f")
}
for f in "$SUITE"/cases/*.sh; do source "$f"; done
for i in "${!IDS[@]}"; do
  declare -F "${FUNCS[$i]}" >/dev/null || { echo "case ${IDS[$i]}: no function ${FUNCS[$i]}" >&2; exit 2; }
done
if [[ $LIST == 1 ]]; then
  for i in "${!IDS[@]}"; do printf '%s\t%s\t%s\n' "${IDS[$i]}" "${REFS[$i]}" "${QUOTES[$i]}"; done
  exit 0
fi

[[ $(id -u) == 0 ]] || { echo "conformance: must run as root" >&2; exit 2; }
RT=$(readlink -f "${1:-$REPO/bin/runcs}")
[[ -x $RT ]] || { echo "conformance: no runtime at ${1:-$REPO/bin/runcs}" >&2; exit 2; }
RT_NAME=$(basename "$RT")
RUN_ID=$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')
ROOT=/run/conformance-$RUN_ID
WORK=$(mktemp -d "/tmp/conformance-$RUN_ID.XXXX")
chmod 755 "$WORK"   # user-namespace cases run as host uid 100000
export RT RT_NAME RUN_ID ROOT WORK SUITE TEMPLATE=$WORK/template FEATURES=$WORK/features.json

# ---------------------------------------------------------------- host watch
# A runtime that ignores a namespace would set the host's hostname or sysctls. Cases never
# ask for that (see ns_del), so a change is reported on stderr. It is not undone: other
# work on the machine may change these too, and the suite must not fight it.
WATCHED_SYSCTLS=(kernel/hostname kernel/domainname net/ipv4/ip_forward net/core/somaxconn kernel/shmmax kernel/msgmax fs/mqueue/msg_max)
declare -A HOST_SYSCTL=()
for k in "${WATCHED_SYSCTLS[@]}"; do [[ -r /proc/sys/$k ]] && HOST_SYSCTL[$k]=$(cat "/proc/sys/$k"); done
watch_host() {  # watch_host CASE-ID
  local k v
  for k in "${!HOST_SYSCTL[@]}"; do
    v=$(cat "/proc/sys/$k")
    if [[ $v != "${HOST_SYSCTL[$k]}" ]]; then
      echo "# warning: the host's /proc/sys/$k changed from '${HOST_SYSCTL[$k]}' to '$v' around case $1 (by the runtime, or by something else on this machine)" >&2
      HOST_SYSCTL[$k]=$v
    fi
  done
}

# ---------------------------------------------------------------- cleanup
cleanup_case() {  # cleanup_case DIR: everything a case left behind
  local d=$1 id p m n
  if [[ -f $d/ids ]]; then
    while read -r id; do
      timeout -k 2 10 "$RT" --root "$ROOT" delete --force "$id" </dev/null >/dev/null 2>&1
    done < "$d/ids"
  fi
  if [[ -f $d/pids ]]; then
    while read -r p; do kill -9 "$p" 2>/dev/null; done < "$d/pids"
  fi
  if [[ -f $d/ids && -f $d/pids ]]; then   # a container created inside a helper's namespaces
    while read -r id; do
      [[ -d $ROOT/$id ]] && timeout -k 2 10 "$RT" --root "$ROOT" delete --force "$id" </dev/null >/dev/null 2>&1
    done < "$d/ids"
  fi
  if [[ -f $d/netns ]]; then
    while read -r n; do ip netns delete "$n" 2>/dev/null; done < "$d/netns"
  fi
  if [[ -f $d/mounts ]]; then
    tac "$d/mounts" | while read -r m; do umount -l "$m" 2>/dev/null; done
  fi
  # anything still mounted under the case dir (bind mounts the case made)
  awk -v d="$d/" 'index($5, d) == 1 || $5 == substr(d, 1, length(d) - 1) { print $5 }' /proc/self/mountinfo \
    | sort -r | while read -r m; do umount -l "$m" 2>/dev/null; done
  rm -rf "$d" 2>/dev/null
}
cleanup_all() {
  local ids id
  if [[ -d $ROOT ]]; then
    ids=$(timeout 10 "$RT" --root "$ROOT" list -q </dev/null 2>/dev/null)
    for id in $ids; do timeout -k 2 10 "$RT" --root "$ROOT" delete --force "$id" </dev/null >/dev/null 2>&1; done
  fi
  for d in "$WORK"/case-*; do [[ -d $d ]] && cleanup_case "$d"; done
  rm -rf "$ROOT" "$WORK" 2>/dev/null
}
trap 'cleanup_all; exit 130' INT TERM
trap cleanup_all EXIT

# ---------------------------------------------------------------- template bundle
if ! RUNTIME_FOR_SPEC=$RT "$REPO/bundles/make-bundle.sh" "$TEMPLATE" true >"$WORK/template.log" 2>&1; then
  # A runtime without `spec`: the rootfs from make-bundle.sh and a config written here.
  rm -f "$TEMPLATE/config.json"
  RUNTIME_FOR_SPEC=/bin/false "$REPO/bundles/make-bundle.sh" "$TEMPLATE" true >/dev/null 2>&1
  jq -n -f "$SUITE/lib/default-config.jq" > "$TEMPLATE/config.json" || { echo "conformance: cannot make a bundle" >&2; exit 2; }
  echo "# note: '$RT_NAME spec' failed; using the suite's own default config.json" >&2
fi
# The runtime's default config, normalized: a writable rootfs (cases leave files there), no terminal.
jq '.process.terminal = false | .root.readonly = false | .process.args = ["true"]' "$TEMPLATE/config.json" > "$TEMPLATE/c.tmp" \
  && mv "$TEMPLATE/c.tmp" "$TEMPLATE/config.json"
timeout 10 "$RT" features </dev/null 2>/dev/null | jq . >"$FEATURES" 2>/dev/null || echo '{}' > "$FEATURES"
[[ -s $FEATURES ]] || echo '{}' > "$FEATURES"

# ---------------------------------------------------------------- known failures
declare -A KNOWN=()
if [[ -f $SUITE/known-failures.txt ]]; then
  while read -r rt id why; do
    [[ -z $rt || $rt == \#* ]] && continue
    [[ $rt == "$RT_NAME" || $rt == '*' ]] && KNOWN[$id]=$why
  done < "$SUITE/known-failures.txt"
fi

# ---------------------------------------------------------------- run
CASE_TIMEOUT=${CASE_TIMEOUT:-40}
npass=0 nfail=0 nskip=0 nxfail=0 nxpass=0
[[ -n $LOGFILE ]] && : > "$LOGFILE"

run_case() {  # run_case INDEX: runs in the background; leaves DIR/status
  local i=$1 d="$WORK/case-$1"
  mkdir -p "$d"; chmod 755 "$d"
  CASE_NO=$i CASE_DIR=$d timeout -k 5 "$CASE_TIMEOUT" bash "$SUITE/lib/case.sh" "${FUNCS[$i]}" </dev/null >"$d/log" 2>&1
  echo $? > "$d/status.tmp"; mv "$d/status.tmp" "$d/status"
}
report_case() {  # report_case INDEX: print the line, count, clean up
  local i=$1 d="$WORK/case-$1" st reason word id=${IDS[$1]}
  st=$(cat "$d/status")
  reason=$(head -c 400 "$d/reason" 2>/dev/null | tr '\n' ' ' | sed 's/ *$//')
  case $st in
    0) word=pass ;;
    77) word=skip ;;
    124|137) word=fail; reason="timed out after ${CASE_TIMEOUT}s${reason:+ ($reason)}" ;;
    1) word=fail ;;
    *) word=fail; reason="case exited $st${reason:+: $reason}${reason:-: $(tail -c 300 "$d/log" | tr '\n' ' ')}" ;;
  esac
  if [[ -n ${KNOWN[$id]:-} ]]; then
    case $word in
      fail) word=xfail; reason="$reason [known: ${KNOWN[$id]}]" ;;
      pass) word=xpass; reason="listed in known-failures.txt but passed" ;;
    esac
  fi
  case $word in
    pass) npass=$((npass + 1)) ;; fail) nfail=$((nfail + 1)) ;; skip) nskip=$((nskip + 1)) ;;
    xfail) nxfail=$((nxfail + 1)) ;; xpass) nxpass=$((nxpass + 1)); npass=$((npass + 1)) ;;
  esac
  echo "$word $id ${REFS[$i]}${reason:+ $reason}"
  [[ $VERBOSE == 1 ]] && echo "    \"${QUOTES[$i]}\""
  if [[ -n $LOGFILE && ( $word == fail || $word == xfail ) ]]; then
    {
      echo "=== $word $id ${REFS[$i]}"
      echo "spec: ${QUOTES[$i]}"
      echo "reason: $reason"
      cat "$d/trace" 2>/dev/null
      [[ -s $d/log ]] && { echo "--- case output"; tail -c 2000 "$d/log"; }
      echo
    } >> "$LOGFILE"
  fi
  cleanup_case "$d"
  watch_host "$id"
}

sel=()
for i in "${!IDS[@]}"; do
  [[ -z $FILTER || ${IDS[$i]} =~ $FILTER ]] && sel+=("$i")
done
echo "# runtime $RT ($("$RT" --version 2>/dev/null | head -1)), ${#sel[@]} cases, root $ROOT" >&2
next=0 shown=0
declare -A RUNNING=()
while [[ $shown -lt ${#sel[@]} ]]; do
  for j in "${!RUNNING[@]}"; do [[ -f $WORK/case-$j/status ]] && unset "RUNNING[$j]"; done
  while [[ $next -lt ${#sel[@]} && ${#RUNNING[@]} -lt $JOBS ]]; do
    run_case "${sel[$next]}" &
    RUNNING[${sel[$next]}]=1
    next=$((next + 1))
  done
  i=${sel[$shown]}
  if [[ -f $WORK/case-$i/status ]]; then
    report_case "$i"
    shown=$((shown + 1))
  else
    wait -n 2>/dev/null || sleep 0.02
  fi
done
wait
[[ $nxfail -gt 0 || $nxpass -gt 0 ]] && echo "$nxfail expected failures, $nxpass unexpected passes"
echo "$npass passed, $nfail failed, $nskip skipped"
[[ $nfail -eq 0 ]]
