# config.md#root, config.md#mounts, config-linux.md#default-filesystems

reg root-path-relative config.md#root "On POSIX platforms, path is either an absolute path or a relative path to the bundle. [runtime.md#create: All of the properties configured in config.json except for process MUST be applied.]"
t_root_path_relative() {
  mkb; cfg '.root.path = "rootfs"'
  mkdir -p "$CASE_DIR/elsewhere/rootfs"
  shargs 'echo here > /marker'; ID=$(new_id)
  cd "$CASE_DIR/elsewhere" && R run -b "$B" "$ID" || fail "run failed: $(said)"
  cd /
  [[ -e $CASE_DIR/elsewhere/rootfs/marker ]] && fail "root.path 'rootfs' was resolved against the working directory"
  [[ $(cat "$B/rootfs/marker" 2>/dev/null) == here ]] || fail "the container did not write into the bundle's rootfs"
}

reg root-path-absolute config.md#root "On POSIX platforms, path is either an absolute path or a relative path to the bundle. [runtime.md#create: All of the properties configured in config.json except for process MUST be applied.]"
t_root_path_absolute() {
  mkb; mkdir -p "$CASE_DIR/other"; mv "$B/rootfs" "$CASE_DIR/other/rfs"
  cfg '.root.path = $p' --arg p "$CASE_DIR/other/rfs"
  run_sh 'echo here > /marker' || fail "run with an absolute root.path failed: $(said)"
  [[ $(cat "$CASE_DIR/other/rfs/marker" 2>/dev/null) == here ]] || fail "the container did not write into $CASE_DIR/other/rfs"
}

reg root-path-missing config.md#root "A directory MUST exist at the path declared by the field."
t_root_path_missing() {
  mkb; cfg '.root.path = "no-such-rootfs"'
  shargs true; ID=$(new_id)
  R create -b "$B" "$ID" && fail "create with a missing root.path exited 0"
  return 0
}

reg root-readonly config.md#root "readonly (bool, OPTIONAL) If true then the root filesystem MUST be read-only inside the container, defaults to false."
t_root_readonly() {
  mkb; cfg '.root.readonly = true'
  run_sh 'touch /x 2>&1; echo rc=$?'
  [[ $OUT == *"Read-only file system"* && $OUT == *rc=1* ]] || fail "touch /x on a readonly root: $(said)"
  [[ -e $B/rootfs/x ]] && fail "the container wrote /x into a readonly root"
  return 0
}

reg root-readonly-false config.md#root "readonly (bool, OPTIONAL) If true then the root filesystem MUST be read-only inside the container, defaults to false."
t_root_readonly_false() {
  mkb; cfg '.root.readonly = false'
  must_run_sh 'touch /x'
  [[ -e $B/rootfs/x ]] || fail "/x not written into the rootfs"
}

reg root-readonly-default config.md#root "readonly (bool, OPTIONAL) If true then the root filesystem MUST be read-only inside the container, defaults to false."
t_root_readonly_default() {
  mkb; cfg 'del(.root.readonly)'
  must_run_sh 'touch /x'
  [[ -e $B/rootfs/x ]] || fail "/x not written into the rootfs"
}

reg mounts-order-same-destination config.md#mounts "The runtime MUST mount entries in the listed order."
t_mounts_order_same_destination() {
  mkb; add_mount /m tmpfs tmpfs size=1m; add_mount /m tmpfs tmpfs size=2m
  must_run_sh 'df -k /m | tail -1'
  expect_eq "size in KiB of /m (the second of two tmpfs mounts, size=2m)" "$(awk '{print $2}' <<<"$OUT")" 2048
}

reg mounts-order-nested config.md#mounts "The runtime MUST mount entries in the listed order."
t_mounts_order_nested() {
  mkb; mkdir -p "$CASE_DIR/src"; echo nested > "$CASE_DIR/src/marker"
  add_mount /n tmpfs tmpfs; add_mount /n/inner none "$CASE_DIR/src" bind
  must_run_sh 'cat /n/inner/marker'
  expect_eq "/n/inner/marker (bind mounted after a tmpfs on /n)" "$OUT" nested
}

reg mounts-destination-relative config.md#mounts "For compatibility with old tools and configurations, it MAY be a relative path, in which case it MUST be interpreted as relative to \"/\"."
t_mounts_destination_relative() {
  mkb; cfg '.mounts += [{destination: "cf-rel", type: "tmpfs", source: "tmpfs"}]'
  mountinfo_of /cf-rel
  expect_eq "fs type at /cf-rel" "$(mi_fstype "$MI")" tmpfs
}

reg mounts-tmpfs config.md#mounts "For Linux, the parameters are as documented in mount(2) system call man page. [runtime.md#create: All of the properties configured in config.json except for process MUST be applied.]"
t_mounts_tmpfs() {
  mkb; add_mount /t tmpfs tmpfs
  mountinfo_of /t
  expect_eq "fs type at /t" "$(mi_fstype "$MI")" tmpfs
}

reg mounts-tmpfs-size config.md#linux-mount-options "Runtimes SHOULD treat unknown options as filesystem-specific ones and pass those as a comma-separated string to the fifth (const void *data) argument of mount(2)."
t_mounts_tmpfs_size() {
  mkb; add_mount /t tmpfs tmpfs size=1m
  must_run_sh 'df -k /t | tail -1'
  expect_eq "size of /t in KiB" "$(awk '{print $2}' <<<"$OUT")" 1024
}

reg mounts-tmpfs-mode config.md#linux-mount-options "Runtimes SHOULD treat unknown options as filesystem-specific ones and pass those as a comma-separated string to the fifth (const void *data) argument of mount(2)."
t_mounts_tmpfs_mode() {
  mkb; add_mount /t tmpfs tmpfs mode=1770
  must_run_sh 'stat -c %a /t'
  expect_eq "mode of /t" "$OUT" 1770
}

reg mounts-fs-specific-data config.md#linux-mount-options "Runtimes SHOULD treat unknown options as filesystem-specific ones and pass those as a comma-separated string to the fifth (const void *data) argument of mount(2)."
t_mounts_fs_specific_data() {
  mkb; add_mount /t tmpfs tmpfs nr_inodes=64 size=2m uid=7 gid=8
  mountinfo_of /t
  local s; s=$(mi_super "$MI")
  has_opt "$s" nr_inodes=64 && has_opt "$s" uid=7 && has_opt "$s" gid=8 || fail "superblock options of /t are '$s', want nr_inodes=64, uid=7, gid=8"
}

reg mounts-bind-rw config.md#mounts "A mount is a bind mount if it has either bind or rbind in the options. [runtime.md#create: All of the properties configured in config.json except for process MUST be applied.]"
t_mounts_bind_rw() {
  mkb; mkdir -p "$CASE_DIR/vol"; echo host > "$CASE_DIR/vol/in"
  add_mount /vol none "$CASE_DIR/vol" bind rw
  must_run_sh 'cat /vol/in; echo container > /vol/out'
  expect_eq "host file read in the container" "$OUT" host
  expect_eq "container file seen on the host" "$(cat "$CASE_DIR/vol/out" 2>/dev/null)" container
}

reg mounts-bind-ro config.md#linux-mount-options "Runtimes MUST/SHOULD/MAY implement the following option strings for Linux: ro (MUST)"
t_mounts_bind_ro() {
  mkb; mkdir -p "$CASE_DIR/vol"; echo host > "$CASE_DIR/vol/in"
  add_mount /vol none "$CASE_DIR/vol" bind ro
  run_sh 'cat /vol/in; (echo x > /vol/out) 2>&1; echo rc=$?'
  [[ $OUT == host* ]] || fail "cannot read the ro bind mount: $(said)"
  [[ $OUT == *"Read-only file system"* ]] || fail "writing to the ro bind mount: $(said)"
  [[ -e $CASE_DIR/vol/out ]] && fail "the container wrote into the ro bind mount's source"
  return 0
}

reg mounts-bind-file config.md#mounts "source (string, OPTIONAL) A device name, but can also be a file or directory name for bind mounts or a dummy. [runtime.md#create: All of the properties configured in config.json except for process MUST be applied.]"
t_mounts_bind_file() {
  mkb; echo filecontent > "$CASE_DIR/single"
  add_mount /etc/cf-single none "$CASE_DIR/single" bind ro
  must_run_sh 'cat /etc/cf-single'
  expect_eq "/etc/cf-single" "$OUT" filecontent
}

reg mounts-bind-source-relative config.md#mounts "Path values for bind mounts are either absolute or relative to the bundle. [runtime.md#create: All of the properties configured in config.json except for process MUST be applied.]"
t_mounts_bind_source_relative() {
  mkb; mkdir -p "$B/data"; echo rel > "$B/data/f"
  mkdir -p "$CASE_DIR/elsewhere/data"; echo wrong > "$CASE_DIR/elsewhere/data/f"
  add_mount /data none data bind
  shargs 'cat /data/f'; ID=$(new_id)
  cd "$CASE_DIR/elsewhere" && R run -b "$B" "$ID"
  cd /
  [[ $RC == 0 ]] || fail "run failed: $(said)"
  expect_eq "/data/f (source 'data', relative to the bundle)" "$OUT" rel
}

_submount_src() {  # a host dir $CASE_DIR/src with a tmpfs mounted at src/sub holding a marker
  mkdir -p "$CASE_DIR/src/sub"
  mount -t tmpfs -o size=1m cf-sub "$CASE_DIR/src/sub" || skip "cannot mount a tmpfs on the host"
  remember_mount "$CASE_DIR/src/sub"
  echo submount > "$CASE_DIR/src/sub/marker"
}

reg mounts-rbind-recursive config.md#linux-mount-options "Runtimes MUST/SHOULD/MAY implement the following option strings for Linux: rbind (MUST - Recursive bind mount)"
t_mounts_rbind_recursive() {
  mkb; _submount_src
  add_mount /src none "$CASE_DIR/src" rbind
  must_run_sh 'cat /src/sub/marker'
  expect_eq "/src/sub/marker through an rbind" "$OUT" submount
}

reg mounts-bind-not-recursive config.md#linux-mount-options "Runtimes MUST/SHOULD/MAY implement the following option strings for Linux: bind (MUST - Bind mount)"
t_mounts_bind_not_recursive() {
  mkb; _submount_src
  echo top > "$CASE_DIR/src/top"
  add_mount /src none "$CASE_DIR/src" bind
  run_sh 'cat /src/top; ls /src/sub | wc -l'
  expect_eq "/src/top, then the entries of /src/sub through a (non-recursive) bind" "$(tr -d ' ' <<<"$OUT" | xargs)" "top 0"
}

reg mounts-rro config.md#linux-mount-options "Runtimes MUST/SHOULD/MAY implement the following option strings for Linux: rro (SHOULD - Recursive ro)"
t_mounts_rro() {
  need_mount_option rro
  mkb; _submount_src
  add_mount /src none "$CASE_DIR/src" rbind rro
  run_sh '(echo x > /src/sub/new) 2>&1; echo rc=$?'
  [[ $OUT == *"Read-only file system"* ]] || fail "writing under a submount of an rro mount: $(said)"
  [[ -e $CASE_DIR/src/sub/new ]] && fail "the container wrote into a submount of an rro mount"
  return 0
}

reg mounts-ro-tmpfs config.md#linux-mount-options "Runtimes MUST/SHOULD/MAY implement the following option strings for Linux: ro (MUST)"
t_mounts_ro_tmpfs() {
  mkb; add_mount /t tmpfs tmpfs ro
  run_sh 'touch /t/x 2>&1; echo rc=$?'
  [[ $OUT == *"Read-only file system"* ]] || fail "writing to a ro tmpfs: $(said)"
}

reg mounts-noexec config.md#linux-mount-options "Runtimes MUST/SHOULD/MAY implement the following option strings for Linux: noexec (MUST)"
t_mounts_noexec() {
  mkb; add_mount /t tmpfs tmpfs noexec
  run_sh 'cp /bin/busybox /t/busybox && /t/busybox true 2>&1; echo rc=$?'
  [[ $OUT == *"Permission denied"* ]] || fail "running a binary on a noexec mount: $(said)"
}

reg mounts-exec config.md#linux-mount-options "Runtimes MUST/SHOULD/MAY implement the following option strings for Linux: exec (MUST)"
t_mounts_exec() {
  mkb; add_mount /t tmpfs tmpfs exec
  run_sh 'cp /bin/busybox /t/busybox && /t/busybox echo ok 2>&1; echo rc=$?'
  [[ $OUT == *ok*rc=0* ]] || fail "running a binary on an exec mount: $(said)"
}

_caps_dir() {  # $CASE_DIR/capdir/busybox with the file capability cap_dac_override+ep
  command -v setcap >/dev/null || skip "no setcap on the host"
  mkdir -p "$CASE_DIR/capdir"; cp "$TEMPLATE/rootfs/bin/busybox" "$CASE_DIR/capdir/busybox"
  setcap cap_dac_override+ep "$CASE_DIR/capdir/busybox" || skip "setcap failed"
  cfg '.process.user = {uid: 1000, gid: 1000} | .process.noNewPrivileges = false
       | .process.capabilities = {bounding: ["CAP_DAC_OVERRIDE", "CAP_KILL"]}'
}

reg mounts-nosuid config.md#linux-mount-options "Runtimes MUST/SHOULD/MAY implement the following option strings for Linux: nosuid (MUST)"
t_mounts_nosuid() {
  mkb; _caps_dir
  add_mount /capdir none "$CASE_DIR/capdir" bind nosuid
  must_run_sh '/capdir/busybox grep CapEff /proc/self/status'
  expect_eq "CapEff of a file-capability binary (cap_dac_override+ep) run from a nosuid mount" "$(awk '{print $2}' <<<"$OUT")" 0000000000000000
}

reg mounts-suid config.md#linux-mount-options "Runtimes MUST/SHOULD/MAY implement the following option strings for Linux: suid (MUST)"
t_mounts_suid() {
  mkb; _caps_dir
  add_mount /capdir none "$CASE_DIR/capdir" bind suid
  must_run_sh '/capdir/busybox grep CapEff /proc/self/status'
  expect_eq "CapEff of a file-capability binary (cap_dac_override+ep) run from a suid mount" "$(awk '{print $2}' <<<"$OUT")" 0000000000000002
}

reg mounts-nodev config.md#linux-mount-options "Runtimes MUST/SHOULD/MAY implement the following option strings for Linux: nodev (MUST)"
t_mounts_nodev() {
  mkb; add_caps CAP_MKNOD; add_mount /t tmpfs tmpfs nodev
  run_sh 'mknod /t/null c 1 3 || echo mknod-failed; (echo x > /t/null) 2>&1; echo rc=$?'
  [[ $OUT != *mknod-failed* ]] || fail "mknod on the tmpfs failed: $(said)"
  [[ $OUT == *"Permission denied"* ]] || fail "opening a device node on a nodev mount: $(said)"
}

reg mounts-dev config.md#linux-mount-options "Runtimes MUST/SHOULD/MAY implement the following option strings for Linux: dev (MUST)"
t_mounts_dev() {
  mkb; add_caps CAP_MKNOD; add_mount /t tmpfs tmpfs dev
  run_sh 'mknod /t/null c 1 3 || echo mknod-failed; (echo x > /t/null) 2>&1; echo rc=$?'
  [[ $OUT == rc=0 ]] || fail "opening /dev/null's node (c 1 3) on a dev mount: $(said)"
}

reg mounts-nosymfollow config.md#linux-mount-options "Runtimes MUST/SHOULD/MAY implement the following option strings for Linux: nosymfollow (SHOULD)"
t_mounts_nosymfollow() {
  need_mount_option nosymfollow
  mkb; add_mount /t tmpfs tmpfs nosymfollow
  run_sh 'ln -s /etc/passwd /t/link && cat /t/link 2>&1; echo rc=$?'
  [[ $OUT == *"Too many levels of symbolic links"* || $OUT == *"Symbolic link loop"* ]] || fail "following a symlink on a nosymfollow mount: $(said)"
}

_mi_opt_case() {  # _mi_opt_case OPTION FIELD(opts|super) WANT [NOT]
  mkb; add_mount /t tmpfs tmpfs "$1"
  mountinfo_of /t
  local o; if [[ $2 == opts ]]; then o=$(mi_opts "$MI"); else o=$(mi_super "$MI"); fi
  if [[ ${4:-} == not ]]; then
    has_opt "$o" "$3" && fail "/t mounted with '$1' has '$3' in its options '$o'"
  else
    has_opt "$o" "$3" || fail "/t mounted with '$1' has options '$o', want '$3'"
  fi
  return 0
}
reg mounts-opt-noatime config.md#linux-mount-options "Runtimes MUST/SHOULD/MAY implement the following option strings for Linux: noatime (MUST)"
t_mounts_opt_noatime() { _mi_opt_case noatime opts noatime; }
reg mounts-opt-nodiratime config.md#linux-mount-options "Runtimes MUST/SHOULD/MAY implement the following option strings for Linux: nodiratime (MUST)"
t_mounts_opt_nodiratime() { _mi_opt_case nodiratime opts nodiratime; }
reg mounts-opt-strictatime config.md#linux-mount-options "Runtimes MUST/SHOULD/MAY implement the following option strings for Linux: strictatime (MUST)"
t_mounts_opt_strictatime() { _mi_opt_case strictatime opts relatime not; }
reg mounts-opt-sync config.md#linux-mount-options "Runtimes MUST/SHOULD/MAY implement the following option strings for Linux: sync (MUST)"
t_mounts_opt_sync() { _mi_opt_case sync super sync; }
reg mounts-opt-dirsync config.md#linux-mount-options "Runtimes MUST/SHOULD/MAY implement the following option strings for Linux: dirsync (MUST)"
t_mounts_opt_dirsync() { _mi_opt_case dirsync super dirsync; }
reg mounts-opt-lazytime config.md#linux-mount-options "Runtimes MUST/SHOULD/MAY implement the following option strings for Linux: lazytime (MUST)"
t_mounts_opt_lazytime() { _mi_opt_case lazytime super lazytime; }

_shared_src() {  # $CASE_DIR/src as a shared mount of its own peer group on the host
  mkdir -p "$CASE_DIR/src"
  mount --bind "$CASE_DIR/src" "$CASE_DIR/src" && remember_mount "$CASE_DIR/src" || skip "cannot bind-mount on the host"
  mount --make-private "$CASE_DIR/src" && mount --make-shared "$CASE_DIR/src" || skip "cannot make a shared mount on the host"
}
reg mounts-propagation-shared config.md#linux-mount-options "Runtimes MUST/SHOULD/MAY implement the following option strings for Linux: shared (MUST)"
t_mounts_propagation_shared() {
  mkb; mkdir -p "$CASE_DIR/src"; add_mount /src none "$CASE_DIR/src" bind shared
  mountinfo_of /src
  [[ $(mi_optional "$MI") == *shared:* ]] || fail "/src mounted 'shared' has propagation fields '$(mi_optional "$MI")', want shared:N"
}
reg mounts-propagation-rslave config.md#linux-mount-options "Runtimes MUST/SHOULD/MAY implement the following option strings for Linux: rslave (MUST - Bind mount propagation)"
t_mounts_propagation_rslave() {
  mkb; _shared_src; add_mount /src none "$CASE_DIR/src" rbind rslave
  mountinfo_of /src
  [[ $(mi_optional "$MI") == *master:* && $(mi_optional "$MI") != *shared:* ]] || fail "/src mounted 'rslave' from a shared host mount has propagation fields '$(mi_optional "$MI")', want master:N only"
}
reg mounts-propagation-rprivate config.md#linux-mount-options "Runtimes MUST/SHOULD/MAY implement the following option strings for Linux: rprivate (MUST - Bind mount propagation)"
t_mounts_propagation_rprivate() {
  mkb; _shared_src; add_mount /src none "$CASE_DIR/src" rbind rprivate
  mountinfo_of /src
  [[ -z $(mi_optional "$MI") ]] || fail "/src mounted 'rprivate' has propagation fields '$(mi_optional "$MI")', want none"
}
reg mounts-propagation-unbindable config.md#linux-mount-options "Runtimes MUST/SHOULD/MAY implement the following option strings for Linux: unbindable (MUST - Bind mount propagation)"
t_mounts_propagation_unbindable() {
  mkb; mkdir -p "$CASE_DIR/src"; add_mount /src none "$CASE_DIR/src" bind unbindable
  mountinfo_of /src
  [[ $(mi_optional "$MI") == *unbindable* ]] || fail "/src mounted 'unbindable' has propagation fields '$(mi_optional "$MI")', want unbindable"
}
reg mounts-propagation-slave-receives config.md#linux-mount-options "Runtimes MUST/SHOULD/MAY implement the following option strings for Linux: slave (MUST - Bind mount propagation)"
t_mounts_propagation_slave_receives() {
  mkb; _shared_src; add_mount /src none "$CASE_DIR/src" rbind slave
  start_bg 'while ! test -e /src/late/marker; do sleep 0.05; done; echo seen > /seen'
  mkdir -p "$CASE_DIR/src/late"
  mount -t tmpfs -o size=1m cf-late "$CASE_DIR/src/late" && remember_mount "$CASE_DIR/src/late" || fail "host mount failed"
  echo x > "$CASE_DIR/src/late/marker"
  wait_for 5 test -e "$B/rootfs/seen" || fail "a host mount under the source of a 'slave' mount did not propagate into the container"
}

reg defaultfs-proc config-linux.md#default-filesystems "The following filesystems SHOULD be made available in each container's filesystem: /proc proc"
t_defaultfs_proc() { mkb; mountinfo_of /proc; expect_eq "fs type at /proc" "$(mi_fstype "$MI")" proc; }
reg defaultfs-sysfs config-linux.md#default-filesystems "The following filesystems SHOULD be made available in each container's filesystem: /sys sysfs"
t_defaultfs_sysfs() { mkb; mountinfo_of /sys; expect_eq "fs type at /sys" "$(mi_fstype "$MI")" sysfs; }
reg defaultfs-devpts config-linux.md#default-filesystems "The following filesystems SHOULD be made available in each container's filesystem: /dev/pts devpts"
t_defaultfs_devpts() { mkb; mountinfo_of /dev/pts; expect_eq "fs type at /dev/pts" "$(mi_fstype "$MI")" devpts; }
reg defaultfs-shm config-linux.md#default-filesystems "The following filesystems SHOULD be made available in each container's filesystem: /dev/shm tmpfs"
t_defaultfs_shm() { mkb; mountinfo_of /dev/shm; expect_eq "fs type at /dev/shm" "$(mi_fstype "$MI")" tmpfs; }
reg defaultfs-mqueue config.md#mounts "For Linux, the parameters are as documented in mount(2) system call man page. [the default config's /dev/mqueue entry] [runtime.md#create: All of the properties configured in config.json except for process MUST be applied.]"
t_defaultfs_mqueue() {
  mkb
  [[ $(jq '[.mounts[] | select(.destination == "/dev/mqueue")] | length' "$B/config.json") -gt 0 ]] || skip "the runtime's default config has no /dev/mqueue mount"
  mountinfo_of /dev/mqueue; expect_eq "fs type at /dev/mqueue" "$(mi_fstype "$MI")" mqueue
}
reg defaultfs-proc-is-own-pid-ns config.md#mounts "For Linux, the parameters are as documented in mount(2) system call man page. [proc mounted in the container's PID namespace] [runtime.md#create: All of the properties configured in config.json except for process MUST be applied.]"
t_defaultfs_proc_is_own_pid_ns() {
  mkb; must_run_sh 'echo $$; readlink /proc/self'
  expect_eq "shell pid and /proc/self in a new PID namespace" "$(tr '\n' ' ' <<<"$OUT")" "1 1 "
}
