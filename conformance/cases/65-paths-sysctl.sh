# config-linux.md#masked-paths, #readonly-paths, #sysctl, #rootfs-mount-propagation; runtime-linux.md#file-descriptors

reg masked-file config-linux.md#masked-paths "maskedPaths (array of strings, OPTIONAL) will mask over the provided paths inside the container so that they cannot be read. [runtime.md#create: All of the properties configured in config.json except for process MUST be applied.]"
t_masked_file() {
  mkb; echo secret > "$B/rootfs/etc/cf-secret"; cfg '.linux.maskedPaths += ["/etc/cf-secret"]'
  must_run_sh 'cat /etc/cf-secret | wc -c'
  expect_eq "bytes read from a masked file" "$(tr -d ' ' <<<"$OUT")" 0
}
reg masked-dir config-linux.md#masked-paths "maskedPaths (array of strings, OPTIONAL) will mask over the provided paths inside the container so that they cannot be read. [runtime.md#create: All of the properties configured in config.json except for process MUST be applied.]"
t_masked_dir() {
  mkb; mkdir -p "$B/rootfs/cf-secret-dir"; echo secret > "$B/rootfs/cf-secret-dir/file"
  cfg '.linux.maskedPaths += ["/cf-secret-dir"]'
  must_run_sh 'ls -A /cf-secret-dir | wc -l'
  expect_eq "entries of a masked directory" "$(tr -d ' ' <<<"$OUT")" 0
}
reg masked-proc-kcore config-linux.md#masked-paths "maskedPaths (array of strings, OPTIONAL) will mask over the provided paths inside the container so that they cannot be read. [runtime.md#create: All of the properties configured in config.json except for process MUST be applied.]"
t_masked_proc_kcore() {
  mkb; cfg '.linux.maskedPaths = ((.linux.maskedPaths // []) + ["/proc/kcore"] | unique)'
  add_caps CAP_SYS_RAWIO
  must_run_sh 'head -c 16 /proc/kcore | wc -c'
  expect_eq "bytes read from masked /proc/kcore" "$(tr -d ' ' <<<"$OUT")" 0
}
reg masked-proc-dir config-linux.md#masked-paths "maskedPaths (array of strings, OPTIONAL) will mask over the provided paths inside the container so that they cannot be read. [runtime.md#create: All of the properties configured in config.json except for process MUST be applied.]"
t_masked_proc_dir() {
  mkb; cfg '.linux.maskedPaths = ((.linux.maskedPaths // []) + ["/proc/sys/kernel/random"] | unique)'
  must_run_sh 'ls -A /proc/sys/kernel/random | wc -l'
  expect_eq "entries of masked /proc/sys/kernel/random" "$(tr -d ' ' <<<"$OUT")" 0
}

reg readonly-dir config-linux.md#readonly-paths "readonlyPaths (array of strings, OPTIONAL) will set the provided paths as readonly inside the container. [runtime.md#create: All of the properties configured in config.json except for process MUST be applied.]"
t_readonly_dir() {
  mkb; mkdir -p "$B/rootfs/cf-ro"; cfg '.linux.readonlyPaths += ["/cf-ro"]'
  run_sh '(touch /cf-ro/x) 2>&1; touch /cf-rw-ok && echo rw-ok'
  [[ $OUT == *"Read-only file system"* ]] || fail "writing into a readonly path: $(said)"
  [[ $OUT == *rw-ok* ]] || fail "the rest of the rootfs is not writable: $(said)"
}
reg readonly-file config-linux.md#readonly-paths "readonlyPaths (array of strings, OPTIONAL) will set the provided paths as readonly inside the container. [runtime.md#create: All of the properties configured in config.json except for process MUST be applied.]"
t_readonly_file() {
  mkb; echo original > "$B/rootfs/etc/cf-rofile"; cfg '.linux.readonlyPaths += ["/etc/cf-rofile"]'
  run_sh 'cat /etc/cf-rofile; (echo changed > /etc/cf-rofile) 2>&1'
  [[ $OUT == original* ]] || fail "a readonly file cannot be read: $(said)"
  [[ $OUT == *"Read-only file system"* ]] || fail "writing a readonly file: $(said)"
  expect_eq "content after the refused write" "$(cat "$B/rootfs/etc/cf-rofile")" original
}
reg readonly-proc-sys config-linux.md#readonly-paths "readonlyPaths (array of strings, OPTIONAL) will set the provided paths as readonly inside the container. [runtime.md#create: All of the properties configured in config.json except for process MUST be applied.]"
t_readonly_proc_sys() {
  mkb; cfg '.linux.readonlyPaths = ((.linux.readonlyPaths // []) + ["/proc/sys"] | unique)'
  run_sh '(echo cf-changed > /proc/sys/kernel/hostname) 2>&1'
  [[ $OUT == *"Read-only file system"* ]] || fail "writing /proc/sys/kernel/hostname: $(said)"
}

_sysctl_case() {  # _sysctl_case KEY VALUE
  mkb; cfg '.linux.sysctl[$k] = $v' --arg k "$1" --arg v "$2"
  must_run_sh "cat /proc/sys/${1//.//}"
  expect_eq "$1 in the container" "$OUT" "$2"
}
reg sysctl-net-ip-forward config-linux.md#sysctl "sysctl (object, OPTIONAL) allows kernel parameters to be modified at runtime for the container. [runtime.md#create: All of the properties configured in config.json except for process MUST be applied.]"
t_sysctl_net_ip_forward() {
  local before; before=$(cat /proc/sys/net/ipv4/ip_forward)
  _sysctl_case net.ipv4.ip_forward 1
  expect_eq "host's net.ipv4.ip_forward after the container" "$(cat /proc/sys/net/ipv4/ip_forward)" "$before"
}
reg sysctl-net-somaxconn config-linux.md#sysctl "sysctl (object, OPTIONAL) allows kernel parameters to be modified at runtime for the container. [runtime.md#create: All of the properties configured in config.json except for process MUST be applied.]"
t_sysctl_net_somaxconn() { _sysctl_case net.core.somaxconn 256; }
reg sysctl-ipc-shmmax config-linux.md#sysctl "sysctl (object, OPTIONAL) allows kernel parameters to be modified at runtime for the container. [runtime.md#create: All of the properties configured in config.json except for process MUST be applied.]"
t_sysctl_ipc_shmmax() {
  local before; before=$(cat /proc/sys/kernel/shmmax)
  _sysctl_case kernel.shmmax 123456789
  expect_eq "host's kernel.shmmax after the container" "$(cat /proc/sys/kernel/shmmax)" "$before"
}
reg sysctl-ipc-msgmax config-linux.md#sysctl "sysctl (object, OPTIONAL) allows kernel parameters to be modified at runtime for the container. [runtime.md#create: All of the properties configured in config.json except for process MUST be applied.]"
t_sysctl_ipc_msgmax() { _sysctl_case kernel.msgmax 4096; }
reg sysctl-mqueue config-linux.md#sysctl "sysctl (object, OPTIONAL) allows kernel parameters to be modified at runtime for the container. [runtime.md#create: All of the properties configured in config.json except for process MUST be applied.]"
t_sysctl_mqueue() { _sysctl_case fs.mqueue.msg_max 16; }
reg sysctl-invalid config-linux.md#sysctl "sysctl (object, OPTIONAL) allows kernel parameters to be modified at runtime for the container. [runtime.md#create: If the runtime cannot apply a property as specified in the configuration, it MUST generate an error]"
t_sysctl_invalid() {
  mkb; cfg '.linux.sysctl["net.ipv4.cf_no_such_key"] = "1"'; shargs 'echo ran'; ID=$(new_id)
  R run -b "$B" "$ID" && fail "a sysctl that does not exist was accepted"
  return 0
}

# ---------------------------------------------------------------- rootfsPropagation
_root_tags() {  # the propagation fields of / inside the container in $B
  mountinfo_of /
  ROOT_TAGS=$(mi_optional "$MI")
}
reg rootfs-propagation-private config-linux.md#rootfs-mount-propagation "private: the rootfs mount doesn't receive mount propagation events from the host and further mounts in nested containers will be isolated from the host and from the rootfs (even if the nested container rootfsPropagation option is shared). [runtime.md#create: All of the properties configured in config.json except for process MUST be applied.]"
t_rootfs_propagation_private() {
  mkb; cfg '.linux.rootfsPropagation = "private"'; _root_tags
  [[ -z $ROOT_TAGS ]] || fail "/ has propagation fields '$ROOT_TAGS' with rootfsPropagation private"
}
reg rootfs-propagation-shared config-linux.md#rootfs-mount-propagation "shared: the rootfs mount belongs to a new peer group. [runtime.md#create: All of the properties configured in config.json except for process MUST be applied.]"
t_rootfs_propagation_shared() {
  mkb; cfg '.linux.rootfsPropagation = "shared"'; _root_tags
  [[ $ROOT_TAGS == *shared:* ]] || fail "/ has propagation fields '$ROOT_TAGS' with rootfsPropagation shared, want shared:N"
}
reg rootfs-propagation-unbindable config-linux.md#rootfs-mount-propagation "unbindable: the rootfs mount is a private mount that cannot be bind-mounted. [runtime.md#create: All of the properties configured in config.json except for process MUST be applied.]"
t_rootfs_propagation_unbindable() {
  mkb; cfg '.linux.rootfsPropagation = "unbindable"'; _root_tags
  [[ $ROOT_TAGS == *unbindable* ]] || fail "/ has propagation fields '$ROOT_TAGS' with rootfsPropagation unbindable"
}
_shared_rootfs() {  # the bundle's rootfs as a shared mount of its own peer group on the host
  mount --bind "$B/rootfs" "$B/rootfs" && remember_mount "$B/rootfs" || skip "cannot bind-mount on the host"
  mount --make-private "$B/rootfs" && mount --make-shared "$B/rootfs" || skip "cannot make a shared mount"
  mkdir -p "$B/rootfs/mnt/late"
}
reg rootfs-propagation-slave config-linux.md#rootfs-mount-propagation "slave: the rootfs mount receives propagation events from the host (e.g. if something is mounted on the host it will also appear in the container) but not the other way around. [runtime.md#create: All of the properties configured in config.json except for process MUST be applied.]"
t_rootfs_propagation_slave() {
  mkb; cfg '.linux.rootfsPropagation = "slave"'; _shared_rootfs
  start_bg 'while ! test -e /mnt/late/marker; do sleep 0.05; done; echo seen > /tmp/seen; sleep 100'
  mount -t tmpfs -o size=1m cf-late "$B/rootfs/mnt/late" && remember_mount "$B/rootfs/mnt/late" || fail "host mount failed"
  echo x > "$B/rootfs/mnt/late/marker"
  wait_for 5 _seen_in "$PID" || fail "a host mount under the rootfs did not propagate into the container (rootfsPropagation slave)"
}
_seen_in() { [[ -e /proc/$1/root/tmp/seen ]]; }
reg rootfs-propagation-slave-one-way config-linux.md#rootfs-mount-propagation "slave: the rootfs mount receives propagation events from the host (e.g. if something is mounted on the host it will also appear in the container) but not the other way around. [runtime.md#create: All of the properties configured in config.json except for process MUST be applied.]"
t_rootfs_propagation_slave_one_way() {
  mkb; cfg '.linux.rootfsPropagation = "slave"'; add_caps CAP_SYS_ADMIN; _shared_rootfs
  start_bg 'mount -t tmpfs cf-inner /mnt/late && touch /mnt/late/inner && touch /done; sleep 100'
  wait_for 5 test -e "$B/rootfs/done" || fail "the container could not mount: $(cat "$CASE_DIR"/r*.err 2>/dev/null | tail -2)"
  [[ -e $B/rootfs/mnt/late/inner ]] && fail "a mount made in the container propagated to the host (rootfsPropagation slave)"
  return 0
}
reg rootfs-propagation-private-isolated config-linux.md#rootfs-mount-propagation "private: the rootfs mount doesn't receive mount propagation events from the host and further mounts in nested containers will be isolated from the host and from the rootfs (even if the nested container rootfsPropagation option is shared). [runtime.md#create: All of the properties configured in config.json except for process MUST be applied.]"
t_rootfs_propagation_private_isolated() {
  mkb; cfg '.linux.rootfsPropagation = "private"'; _shared_rootfs
  start_bg 'touch /ready; sleep 100'
  wait_for 5 test -e "/proc/$PID/root/ready" || fail "container not ready"
  mount -t tmpfs -o size=1m cf-late "$B/rootfs/mnt/late" && remember_mount "$B/rootfs/mnt/late" || fail "host mount failed"
  echo x > "$B/rootfs/mnt/late/marker"
  sleep 0.3
  [[ -e /proc/$PID/root/mnt/late/marker ]] && fail "a host mount under the rootfs propagated into the container (rootfsPropagation private)"
  return 0
}

reg fds-only-stdio runtime-linux.md#file-descriptors "By default, only the stdin, stdout and stderr file descriptors are kept open for the application by the runtime. [runtime.md#start: This operation MUST run the user-specified program as specified by process.]"
t_fds_only_stdio() {
  mkb; shargs 'exec sleep 100'; ID=$(new_id)
  RW sh -c 'exec 7</dev/null 8>/dev/null 9</etc/hostname; exec "$0" "$@"' -- run -d -b "$B" "$ID" || fail "run -d failed: $(said)"
  PID=$(state_of "$ID" .pid)
  wait_for 5 _cmdline_is "$PID" "sleep 100" || fail "the program did not start"
  expect_eq "open fds of the container process" "$(ls /proc/$PID/fd | sort -n | xargs)" "0 1 2"
}
