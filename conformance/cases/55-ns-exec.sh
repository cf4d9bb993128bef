# The namespace promise: a process started with `exec` lands in exactly the namespaces of the
# container's init, every type, whether init created the namespace, joined it from a path, or
# inherited it from the runtime's caller. `exec` is runc's command-line extension, not part of
# the spec; the spec reference is the sentence that makes init's namespaces what they are.

# _exec_ns_check TYPE INIT_NS [WRAPPER...]: exec `readlink /proc/self/ns/<type>` in $ID and
# compare with INIT_NS (the host's view of init's namespace).
_exec_ns_check() {
  local t=$1 want=$2 p; shift 2; p=$(procname "$t")
  if [[ $# -gt 0 ]]; then RW "$@" -- exec "$ID" readlink "/proc/self/ns/$p"; else R exec "$ID" readlink "/proc/self/ns/$p"; fi
  [[ $RC == 0 ]] || fail "exec failed (rc=$RC): $(said)"
  expect_eq "the exec'd process's $p namespace (init's is $want)" "$OUT" "$want"
}

_exec_created() {
  local t=$1 p; p=$(procname "$t")
  need_ns "$t"; mkb; _ns_created_cfg "$t"
  start_bg 'sleep 1000'
  [[ $(pid_ns "$PID" "$p") != "$(host_ns "$p")" ]] || fail "init is not in a new $p namespace"
  _exec_ns_check "$t" "$(pid_ns "$PID" "$p")"
}

_exec_joined() {
  local t=$1 p h want; p=$(procname "$t")
  need_ns "$t"; mkb
  if [[ $t == network ]]; then
    local n; n=$(new_netns) || skip "ip netns add failed"
    ns_set network "/var/run/netns/$n"; want="net:[$(stat -L -c %i "/var/run/netns/$n")]"
  else
    h=$(ns_holder "$t") || fail "cannot make a $t namespace to join"
    ns_set "$t" "/proc/$h/ns/$p"; want=$(pid_ns "$h" "$p")
    [[ $t == user ]] && cfg '.linux.uidMappings = [{containerID: 0, hostID: 0, size: 65536}] | .linux.gidMappings = [{containerID: 0, hostID: 0, size: 65536}]'
  fi
  start_bg 'sleep 1000'
  expect_eq "init's $p namespace" "$(pid_ns "$PID" "$p")" "$want"
  _exec_ns_check "$t" "$want"
}

# Inherited: the runtime runs `run -d` inside a namespace of TYPE (nsenter into a holder
# process's), the config does not list TYPE; then `exec` runs from the host.
_exec_inherited() {
  local t=$1 p h want wrap=(); p=$(procname "$t")
  [[ -e /proc/self/ns/$p ]] || skip "kernel has no $t namespace"
  [[ $t == time ]] && need_ns time
  mkb; ns_del "$t"
  [[ $t == user ]] && cfg 'del(.linux.uidMappings, .linux.gidMappings)'
  if [[ $t == network ]]; then
    local n; n=$(new_netns) || skip "ip netns add failed"
    wrap=(nsenter "--net=/var/run/netns/$n"); want="net:[$(stat -L -c %i "/var/run/netns/$n")]"
  else
    h=$(ns_holder "$t") || fail "cannot make a $t namespace"
    want=$(pid_ns "$h" "$p")
    case $t in
      # pids in the state are those of the caller's pid namespace: every command of this
      # container runs in the holder's pid (and mount, for its /proc) namespace
      pid) wrap=(nsenter "--pid=/proc/$h/ns/pid" "--mount=/proc/$h/ns/mnt") ;;
      # a container without its own mount namespace changes the runtime's: a throwaway one
      mount) wrap=(nsenter "--mount=/proc/$h/ns/mnt"); cfg 'del(.linux.maskedPaths, .linux.readonlyPaths)' ;;
      user) wrap=(nsenter "--user=/proc/$h/ns/user") ;;
      *) wrap=(nsenter "--$t=/proc/$h/ns/$p") ;;
    esac
  fi
  shargs 'sleep 1000'; ID=$(new_id)
  RW "${wrap[@]}" -- run -d -b "$B" "$ID" || fail "run -d under ${wrap[*]} failed: $(said)"
  if [[ $t == pid ]]; then
    _exec_ns_check "$t" "$want" "${wrap[@]}"
    RW "${wrap[@]}" -- delete --force "$ID"
    return 0
  fi
  PID=$(state_of "$ID" .pid)
  expect_eq "init's $p namespace (inherited from the runtime)" "$(pid_ns "$PID" "$p")" "$want"
  _exec_ns_check "$t" "$want"
}

for _t in "${NS_TYPES[@]}"; do
  reg "exec-ns-$_t-created" config-linux.md#namespaces "If path is not specified, the runtime MUST create a new container namespace of type type. [exec lands in init's]"
  eval "t_exec_ns_${_t}_created() { _exec_created $_t; }"
  reg "exec-ns-$_t-path" config-linux.md#namespaces "The runtime MUST place the container process in the namespace associated with that path. [exec lands in init's]"
  eval "t_exec_ns_${_t}_path() { _exec_joined $_t; }"
  reg "exec-ns-$_t-inherited" config-linux.md#namespaces "If a namespace type is not specified in the namespaces array, the container MUST inherit the runtime namespace of that type. [exec lands in init's]"
  eval "t_exec_ns_${_t}_inherited() { _exec_inherited $_t; }"
done

reg exec-ns-path-recreated config-linux.md#namespaces "The runtime MUST place the container process in the namespace associated with that path. [exec follows init, not a path re-created after create]"
t_exec_ns_path_recreated() {
  mkb; local n; n=$(new_netns) || skip "ip netns add failed"
  ns_set network "/var/run/netns/$n"
  start_bg 'sleep 1000'
  local want; want=$(pid_ns "$PID" net)
  ip netns delete "$n" && ip netns add "$n" || fail "cannot re-create /var/run/netns/$n"
  [[ "net:[$(stat -L -c %i "/var/run/netns/$n")]" != "$want" ]] || skip "the new namespace got the old inode"
  _exec_ns_check network "$want"
}

reg exec-ns-all-types-inherited-net config-linux.md#namespaces "If a namespace type is not specified in the namespaces array, the container MUST inherit the runtime namespace of that type. [exec: every type at once]"
t_exec_ns_all_types_inherited_net() {
  mkb; ns_del network
  local n; n=$(new_netns) || skip "ip netns add failed"
  shargs 'sleep 1000'; ID=$(new_id)
  RW ip netns exec "$n" -- run -d -b "$B" "$ID" || fail "ip netns exec $n run -d failed: $(said)"
  PID=$(state_of "$ID" .pid)
  local t p want got
  for t in "${NS_TYPES[@]}"; do
    p=$(procname "$t"); [[ -e /proc/self/ns/$p ]] || continue
    want=$(pid_ns "$PID" "$p")
    R exec "$ID" readlink "/proc/self/ns/$p" || fail "exec failed: $(said)"
    [[ $OUT == "$want" ]] || fail "exec landed in $p namespace $OUT, init is in $want"
  done
}

# ---------------------------------------------------------------- a tampered record
# Only for a runtime whose `state` shows the namespace record ("namespaces"): change the
# recorded identity of one type in the state store; exec must refuse and run nothing.
_exec_tampered() {
  local t=$1 p f v; p=$(procname "$t")
  [[ -e /proc/self/ns/$p ]] || skip "kernel has no $t namespace"
  mkb; start_bg 'sleep 1000'
  [[ $(state_of "$ID" '.namespaces | type') == object ]] || skip "the runtime's state has no namespace record"
  [[ $(state_of "$ID" '.namespaces[$p].inode | type' --arg p "$p") == number ]] || _tamper_field_missing "$p"
  f=$(grep -rl '"namespaces"' "$ROOT/$ID" 2>/dev/null | head -1)
  [[ -n $f ]] || skip "no namespace record found under $ROOT/$ID"
  jq -e --arg p "$p" '.namespaces[$p].inode | numbers' "$f" >/dev/null || skip "unrecognized record format in $f"
  # another real namespace of that type: the host's if init's differs, else a new one
  if [[ $(pid_ns "$PID" "$p") != "$(host_ns "$p")" ]]; then v=$(stat -L -c %i "/proc/self/ns/$p")
  else local h; h=$(ns_holder "$t") || fail "cannot make a $t namespace"; v=$(stat -L -c %i "/proc/$h/ns/$p"); fi
  local old; old=$(jq --arg p "$p" '.namespaces[$p].inode' "$f")
  jq --arg p "$p" --argjson v "$v" '.namespaces[$p].inode = $v' "$f" > "$f.tmp" && cat "$f.tmp" > "$f" && rm -f "$f.tmp"
  trace "# tampered $f: .namespaces.$p.inode $old -> $v (init's $p namespace: $(pid_ns "$PID" "$p"))"
  expect_eq "the record shown by state after tampering" "$(state_of "$ID" '.namespaces[$p].inode' --arg p "$p")" "$v"
  R exec "$ID" sh -c 'echo ran > /tampered-exec-ran' && fail "exec ran with a tampered $p record"
  sleep 0.2
  [[ -e $B/rootfs/tampered-exec-ran ]] && fail "exec refused but its process ran"
  [[ -n $ERR ]] || fail "exec refused without an error message"
  return 0
}
_tamper_field_missing() { skip "the namespace record has no inode for '$1'"; }
for _t in "${NS_TYPES[@]}"; do
  reg "exec-ns-$_t-tampered" config-linux.md#namespaces "The runtime MUST place the container process in the namespace associated with that path. [a tampered namespace record makes exec refuse]"
  eval "t_exec_ns_${_t}_tampered() { _exec_tampered $_t; }"
done
