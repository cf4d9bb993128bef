# config-linux.md#namespaces: each type created, joined from a path, inherited when absent.

NS_TYPES=(pid network mount ipc uts user cgroup time)

# _ns_prepare TYPE: the config of $B for a container that creates TYPE (user needs id maps).
_ns_created_cfg() {
  if [[ $1 == user ]]; then userns_map; else ns_set "$1"; fi
}
# inside_ns TYPE: run the container in $B and print its own namespace of TYPE.
_inside_ns() {
  local p; p=$(procname "$1")
  must_run_sh "readlink /proc/self/ns/$p"
}

_ns_created() {
  local t=$1 p; p=$(procname "$t")
  need_ns "$t"; mkb; _ns_created_cfg "$t"
  _inside_ns "$t"
  [[ $OUT == "$p:["*"]" ]] || fail "readlink /proc/self/ns/$p in the container: '$OUT'"
  [[ $OUT != "$(host_ns "$p")" ]] || fail "the container is in the runtime's $p namespace $OUT, want a new one"
  return 0
}

_ns_joined() {
  local t=$1 p h want; p=$(procname "$t")
  need_ns "$t"; mkb
  if [[ $t == network ]]; then
    local n; n=$(new_netns) || skip "ip netns add failed"
    ns_set network "/var/run/netns/$n"
    want="net:[$(stat -L -c %i "/var/run/netns/$n")]"
  else
    h=$(ns_holder "$t") || fail "cannot make a $t namespace to join"
    ns_set "$t" "/proc/$h/ns/$p"
    want=$(pid_ns "$h" "$p")
    [[ $t == user ]] && cfg '.linux.uidMappings = [{containerID: 0, hostID: 0, size: 65536}] | .linux.gidMappings = [{containerID: 0, hostID: 0, size: 65536}]'
  fi
  _inside_ns "$t"
  expect_eq "the container's $p namespace (joined from its path)" "$OUT" "$want"
}

_ns_absent() {
  local t=$1 p; p=$(procname "$t")
  [[ -e /proc/self/ns/$p ]] || skip "kernel has no $t namespace"
  mkb; ns_del "$t"
  [[ $t == user ]] && cfg 'del(.linux.uidMappings, .linux.gidMappings)'
  if [[ $t == mount ]]; then
    # Without a mount namespace the container shares the runtime's: give the runtime a
    # throwaway one (private propagation) so that nothing reaches the host's.
    cfg 'del(.linux.maskedPaths, .linux.readonlyPaths)'
    shargs "readlink /proc/self/ns/$p"; ID=$(new_id)
    RW unshare --mount --propagation private sh -c "readlink /proc/self/ns/mnt > $CASE_DIR/runtime-mnt; exec \"\$0\" \"\$@\"" -- run -b "$B" "$ID" \
      || fail "run without a mount namespace failed: $(said)"
    expect_eq "the container's mnt namespace (absent from the config)" "$OUT" "$(cat "$CASE_DIR/runtime-mnt")"
    return 0
  fi
  _inside_ns "$t"
  expect_eq "the container's $p namespace (absent from the config)" "$OUT" "$(host_ns "$p")"
}

for _t in "${NS_TYPES[@]}"; do
  reg "ns-$_t-created" config-linux.md#namespaces "If path is not specified, the runtime MUST create a new container namespace of type type."
  eval "t_ns_${_t}_created() { _ns_created $_t; }"
  reg "ns-$_t-path" config-linux.md#namespaces "The runtime MUST place the container process in the namespace associated with that path."
  eval "t_ns_${_t}_path() { _ns_joined $_t; }"
  reg "ns-$_t-absent" config-linux.md#namespaces "If a namespace type is not specified in the namespaces array, the container MUST inherit the runtime namespace of that type."
  eval "t_ns_${_t}_absent() { _ns_absent $_t; }"
done

reg ns-duplicate config-linux.md#namespaces "If a namespaces field contains duplicated namespaces with same type, the runtime MUST generate an error."
t_ns_duplicate() {
  mkb; cfg '.linux.namespaces += [{type: "uts"}]'; shargs 'echo ran'; ID=$(new_id)
  [[ $(jq '[.linux.namespaces[] | select(.type == "uts")] | length' "$B/config.json") == 2 ]] || fail "test bug: no duplicate"
  R run -b "$B" "$ID" && fail "two 'uts' entries were accepted"
  return 0
}

reg ns-path-wrong-type config-linux.md#namespaces "The runtime MUST generate an error if path is not associated with a namespace of type type."
t_ns_path_wrong_type() {
  mkb; local h; h=$(ns_holder uts) || fail "cannot make a uts namespace"
  ns_set network "/proc/$h/ns/uts"; shargs 'echo ran'; ID=$(new_id)
  R run -b "$B" "$ID" && fail "a uts namespace was accepted as the network namespace path (the program printed '$OUT')"
  return 0
}

reg ns-path-not-namespace config-linux.md#namespaces "The runtime MUST generate an error if path is not associated with a namespace of type type."
t_ns_path_not_namespace() {
  mkb; echo plain > "$CASE_DIR/plainfile"
  ns_set ipc "$CASE_DIR/plainfile"; shargs 'echo ran'; ID=$(new_id)
  R run -b "$B" "$ID" && fail "a regular file was accepted as an ipc namespace path"
  return 0
}

reg ns-path-missing config-linux.md#namespaces "The runtime MUST place the container process in the namespace associated with that path."
t_ns_path_missing() {
  mkb; ns_set network "/var/run/netns/cf$RUN_ID-no-such-netns"; shargs 'echo ran'; ID=$(new_id)
  R run -b "$B" "$ID" && fail "a missing network namespace path was accepted (the container ran in some other namespace)"
  return 0
}

reg ns-uts-hostname-isolated config-linux.md#namespaces "uts the container will be able to have its own hostname and domain name. [runtime.md#create: All of the properties configured in config.json except for process MUST be applied.]"
t_ns_uts_hostname_isolated() {
  mkb; ns_set uts; cfg '.hostname = "cf-isolated"'
  local before; before=$(hostname)
  must_run_sh 'hostname'
  expect_eq "hostname inside" "$OUT" cf-isolated
  expect_eq "host's hostname after the container set its own" "$(hostname)" "$before"
}

reg ns-pid-isolated config-linux.md#namespaces "pid processes inside the container will only be able to see other processes inside the same container or inside the same pid namespace. [runtime.md#create: All of the properties configured in config.json except for process MUST be applied.]"
t_ns_pid_isolated() {
  mkb; ns_set pid
  must_run_sh 'ls /proc | grep -c "^[0-9]*$"'
  [[ $OUT -le 3 ]] || fail "the container sees $OUT processes in /proc"
}

reg ns-network-isolated config-linux.md#namespaces "network the container will have its own network stack. [runtime.md#create: All of the properties configured in config.json except for process MUST be applied.]"
t_ns_network_isolated() {
  mkb; ns_set network
  must_run_sh 'ls /sys/class/net'
  expect_eq "network interfaces in a new network namespace" "$(tr '\n' ' ' <<<"$OUT")" "lo "
}

reg ns-ipc-isolated config-linux.md#namespaces "ipc processes inside the container will only be able to communicate to other processes inside the same container via system level IPC. [runtime.md#create: All of the properties configured in config.json except for process MUST be applied.]"
t_ns_ipc_isolated() {
  mkb; ns_set ipc
  local id; id=$(ipcmk -Q 2>/dev/null | awk '{print $NF}') || skip "ipcmk failed"
  [[ -n $id ]] || skip "ipcmk failed"
  must_run_sh 'cat /proc/sysvipc/msg | wc -l'
  ipcrm -q "$id" 2>/dev/null
  expect_eq "lines of /proc/sysvipc/msg (header only) with a host queue present" "$(tr -d ' ' <<<"$OUT")" 1
}

# ---------------------------------------------------------------- user namespaces
reg userns-uid-map config-linux.md#user-namespace-mappings "uidMappings (array of objects, OPTIONAL) describes the user namespace uid mappings from the host to the container. [runtime.md#create: All of the properties configured in config.json except for process MUST be applied.]"
t_userns_uid_map() {
  need_ns user; mkb; userns_map
  must_run_sh 'cat /proc/self/uid_map'
  expect_eq uid_map "$(xargs <<<"$OUT")" "0 100000 65536"
}

reg userns-gid-map config-linux.md#user-namespace-mappings "gidMappings (array of objects, OPTIONAL) describes the user namespace gid mappings from the host to the container. [runtime.md#create: All of the properties configured in config.json except for process MUST be applied.]"
t_userns_gid_map() {
  need_ns user; mkb; userns_map
  must_run_sh 'cat /proc/self/gid_map'
  expect_eq gid_map "$(xargs <<<"$OUT")" "0 100000 65536"
}

reg userns-multiple-ranges config-linux.md#user-namespace-mappings "Note that the number of mapping entries MAY be limited by the kernel. [runtime.md#create: All of the properties configured in config.json except for process MUST be applied.]"
t_userns_multiple_ranges() {
  need_ns user; mkb; ns_set user
  cfg '.linux.uidMappings = [{containerID: 0, hostID: 100000, size: 1}, {containerID: 1, hostID: 200001, size: 1000}]
     | .linux.gidMappings = [{containerID: 0, hostID: 100000, size: 1}, {containerID: 1, hostID: 200001, size: 1000}]'
  must_run_sh 'cat /proc/self/uid_map'
  expect_eq "uid_map" "$(xargs <<<"$OUT")" "0 100000 1 1 200001 1000"
}

reg userns-host-ids config-linux.md#user-namespace-mappings "hostID (uint32, REQUIRED) - is the starting uid/gid on the host to be mapped to containerID. [runtime.md#create: All of the properties configured in config.json except for process MUST be applied.]"
t_userns_host_ids() {
  need_ns user; mkb; userns_map
  mkdir -p "$CASE_DIR/vol" "$B/rootfs/vol"; chown 100000:100000 "$CASE_DIR/vol"
  add_mount /vol none "$CASE_DIR/vol" bind
  must_run_sh 'id -u; echo x > /vol/f'
  expect_eq "uid inside" "$OUT" 0
  expect_eq "host owner of a file the container's root wrote" "$(stat -c %u:%g "$CASE_DIR/vol/f" 2>/dev/null)" 100000:100000
}

reg userns-no-chown config-linux.md#user-namespace-mappings "The runtime SHOULD NOT modify the ownership of referenced filesystems to realize the mapping."
t_userns_no_chown() {
  need_ns user; mkb; userns_map
  must_run_sh 'id -u'
  expect_eq "host owner of the rootfs and of /bin/busybox after the run" "$(stat -c %u:%g "$B/rootfs" "$B/rootfs/bin/busybox" | xargs)" "0:0 0:0"
}

# ---------------------------------------------------------------- time namespaces
reg timens-offsets config-linux.md#offset-for-time-namespace "timeOffsets (object, OPTIONAL) sets the offset for Time Namespace. [runtime.md#create: All of the properties configured in config.json except for process MUST be applied.]"
t_timens_offsets() {
  need_ns time; mkb; ns_set time
  cfg '.linux.timeOffsets = {monotonic: {secs: 3600, nanosecs: 500}, boottime: {secs: 86400, nanosecs: 0}}'
  must_run_sh 'cat /proc/self/timens_offsets'
  grep -qE '^monotonic +3600 +500$' <<<"$OUT" && grep -qE '^boottime +86400 +0$' <<<"$OUT" \
    || fail "timens_offsets: $(tr '\n' ' ' <<<"$OUT")"
}

reg timens-boottime-uptime config-linux.md#offset-for-time-namespace "secs (int64, OPTIONAL) - is the offset of clock (in seconds) in the container. [runtime.md#create: All of the properties configured in config.json except for process MUST be applied.]"
t_timens_boottime_uptime() {
  need_ns time; mkb; ns_set time
  cfg '.linux.timeOffsets = {boottime: {secs: 86400}}'
  local host; host=$(cut -d. -f1 /proc/uptime)
  must_run_sh 'cut -d. -f1 /proc/uptime'
  local d=$((OUT - host))
  [[ $d -ge 86395 && $d -le 86405 ]] || fail "uptime inside is $OUT, host's $host: offset $d, want 86400"
}
