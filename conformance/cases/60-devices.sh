# config-linux.md#devices, #default-devices; runtime-linux.md#dev-symbolic-links

_default_dev() {  # _default_dev NAME MAJOR MINOR
  mkb; must_run_sh "stat -c '%F %t %T' /dev/$1"
  expect_eq "/dev/$1" "$OUT" "character special file $(printf '%x %x' "$2" "$3")"
}
_reg_dev() { reg "dev-$1" config-linux.md#default-devices "In addition to any devices configured with this setting, the runtime MUST also supply: /dev/$1"; }
_reg_dev null;    t_dev_null()    { _default_dev null 1 3; }
_reg_dev zero;    t_dev_zero()    { _default_dev zero 1 5; }
_reg_dev full;    t_dev_full()    { _default_dev full 1 7; }
_reg_dev random;  t_dev_random()  { _default_dev random 1 8; }
_reg_dev urandom; t_dev_urandom() { _default_dev urandom 1 9; }
_reg_dev tty;     t_dev_tty()     { _default_dev tty 5 0; }

reg dev-null-works config-linux.md#default-devices "In addition to any devices configured with this setting, the runtime MUST also supply: /dev/null"
t_dev_null_works() {
  mkb; run_sh 'echo data > /dev/null && cat /dev/null | wc -c'
  [[ $RC == 0 ]] || fail "writing /dev/null failed: $(said)"
  expect_eq "bytes read from /dev/null" "$(tr -d ' ' <<<"$OUT")" 0
}
reg dev-zero-works config-linux.md#default-devices "In addition to any devices configured with this setting, the runtime MUST also supply: /dev/zero"
t_dev_zero_works() {
  mkb; must_run_sh 'head -c 4 /dev/zero | od -An -tx1'
  expect_eq "4 bytes of /dev/zero" "$(xargs <<<"$OUT")" "00 00 00 00"
}
reg dev-full-works config-linux.md#default-devices "In addition to any devices configured with this setting, the runtime MUST also supply: /dev/full"
t_dev_full_works() {
  mkb; run_sh '(echo x > /dev/full) 2>&1'
  [[ $OUT == *"No space left on device"* ]] || fail "writing /dev/full: $(said)"
}
reg dev-urandom-works config-linux.md#default-devices "In addition to any devices configured with this setting, the runtime MUST also supply: /dev/urandom"
t_dev_urandom_works() {
  mkb; must_run_sh 'head -c 64 /dev/urandom | wc -c'
  expect_eq "bytes read from /dev/urandom" "$(tr -d ' ' <<<"$OUT")" 64
}
reg dev-ptmx config-linux.md#default-devices "In addition to any devices configured with this setting, the runtime MUST also supply: /dev/ptmx. A bind-mount or symlink of the container's /dev/pts/ptmx."
t_dev_ptmx() {
  mkb; must_run_sh 'if [ -L /dev/ptmx ]; then echo link $(readlink /dev/ptmx); else stat -c "%d:%i" /dev/ptmx /dev/pts/ptmx; fi'
  case $OUT in
    "link pts/ptmx"|"link /dev/pts/ptmx") ;;
    link*) fail "/dev/ptmx links to ${OUT#link }, want pts/ptmx" ;;
    *) local a b; a=$(head -1 <<<"$OUT"); b=$(tail -1 <<<"$OUT")
       [[ $a == "$b" ]] || fail "/dev/ptmx ($a) is neither a symlink to nor a bind mount of /dev/pts/ptmx ($b)" ;;
  esac
}
reg dev-ptmx-works config-linux.md#default-devices "In addition to any devices configured with this setting, the runtime MUST also supply: /dev/ptmx. A bind-mount or symlink of the container's /dev/pts/ptmx."
t_dev_ptmx_works() {
  mkb; run_sh 'exec 3<>/dev/ptmx && ls /dev/pts'
  [[ $RC == 0 ]] || fail "opening /dev/ptmx failed: $(said)"
  grep -qx 0 <<<"$OUT" || fail "opening /dev/ptmx did not create /dev/pts/0 in the container's devpts: $(tr '\n' ' ' <<<"$OUT")"
}

_dev_link() {  # _dev_link NAME TARGET
  mkb; must_run_sh "readlink /dev/$1"
  expect_eq "/dev/$1" "$OUT" "$2"
}
reg dev-link-fd runtime-linux.md#dev-symbolic-links "While creating the container (step 2 in the lifecycle), runtimes MUST create the following symlinks if the source file exists after processing mounts: /proc/self/fd -> /dev/fd"
t_dev_link_fd() { _dev_link fd /proc/self/fd; }
reg dev-link-stdin runtime-linux.md#dev-symbolic-links "While creating the container (step 2 in the lifecycle), runtimes MUST create the following symlinks if the source file exists after processing mounts: /proc/self/fd/0 -> /dev/stdin"
t_dev_link_stdin() { _dev_link stdin /proc/self/fd/0; }
reg dev-link-stdout runtime-linux.md#dev-symbolic-links "While creating the container (step 2 in the lifecycle), runtimes MUST create the following symlinks if the source file exists after processing mounts: /proc/self/fd/1 -> /dev/stdout"
t_dev_link_stdout() { _dev_link stdout /proc/self/fd/1; }
reg dev-link-stderr runtime-linux.md#dev-symbolic-links "While creating the container (step 2 in the lifecycle), runtimes MUST create the following symlinks if the source file exists after processing mounts: /proc/self/fd/2 -> /dev/stderr"
t_dev_link_stderr() { _dev_link stderr /proc/self/fd/2; }

# ---------------------------------------------------------------- linux.devices
_device() {  # _device JSON-OBJECT: add one entry to linux.devices
  cfg '.linux.devices += [$d]' --argjson d "$1"
}
reg devices-char config-linux.md#devices "devices (array of objects, OPTIONAL) lists devices that MUST be available in the container."
t_devices_char() {
  mkb; _device '{"path": "/dev/cf-null", "type": "c", "major": 1, "minor": 3}'
  must_run_sh "stat -c '%F %t %T' /dev/cf-null"
  expect_eq "/dev/cf-null" "$OUT" "character special file 1 3"
}
reg devices-char-usable config-linux.md#devices "devices (array of objects, OPTIONAL) lists devices that MUST be available in the container."
t_devices_char_usable() {
  mkb; _device '{"path": "/dev/cf-zero", "type": "c", "major": 1, "minor": 5, "fileMode": 438}'
  cfg '.linux.resources.devices += [{allow: true, type: "c", major: 1, minor: 5, access: "rwm"}]'
  run_sh 'head -c 3 /dev/cf-zero | od -An -tx1'
  [[ $RC == 0 ]] || fail "reading /dev/cf-zero failed: $(said)"
  expect_eq "3 bytes of /dev/cf-zero (c 1 5)" "$(xargs <<<"$OUT")" "00 00 00"
}
reg devices-block config-linux.md#devices "devices (array of objects, OPTIONAL) lists devices that MUST be available in the container. type (string, REQUIRED) - type of device: c, b, u or p."
t_devices_block() {
  mkb; _device '{"path": "/dev/cf-blk", "type": "b", "major": 7, "minor": 200}'
  must_run_sh "stat -c '%F %t %T' /dev/cf-blk"
  expect_eq "/dev/cf-blk" "$OUT" "block special file 7 c8"
}
reg devices-unbuffered config-linux.md#devices "devices (array of objects, OPTIONAL) lists devices that MUST be available in the container. type (string, REQUIRED) - type of device: c, b, u or p."
t_devices_unbuffered() {
  mkb; _device '{"path": "/dev/cf-u", "type": "u", "major": 1, "minor": 5}'
  must_run_sh "stat -c '%F %t %T' /dev/cf-u"
  expect_eq "/dev/cf-u" "$OUT" "character special file 1 5"
}
reg devices-fifo config-linux.md#devices "devices (array of objects, OPTIONAL) lists devices that MUST be available in the container. type (string, REQUIRED) - type of device: c, b, u or p."
t_devices_fifo() {
  mkb; _device '{"path": "/dev/cf-fifo", "type": "p"}'
  must_run_sh "stat -c '%F' /dev/cf-fifo"
  expect_eq "/dev/cf-fifo" "$OUT" fifo
}
reg devices-filemode config-linux.md#devices "devices (array of objects, OPTIONAL) lists devices that MUST be available in the container. fileMode (uint32, OPTIONAL) - file mode for the device. Note it is a decimal (not an octal) number."
t_devices_filemode() {
  mkb; _device '{"path": "/dev/cf-mode", "type": "c", "major": 1, "minor": 3, "fileMode": 388}'
  must_run_sh "stat -c '%a' /dev/cf-mode"
  expect_eq "mode of /dev/cf-mode (fileMode 388 = 0604)" "$OUT" 604
}
reg devices-owner config-linux.md#devices "devices (array of objects, OPTIONAL) lists devices that MUST be available in the container. uid (uint32, OPTIONAL) - id of device owner in the container namespace. gid (uint32, OPTIONAL) - id of device group in the container namespace."
t_devices_owner() {
  mkb; _device '{"path": "/dev/cf-owned", "type": "c", "major": 1, "minor": 3, "uid": 1000, "gid": 1001}'
  must_run_sh "stat -c '%u:%g' /dev/cf-owned"
  expect_eq "owner of /dev/cf-owned" "$OUT" 1000:1001
}
reg devices-outside-dev config-linux.md#devices "devices (array of objects, OPTIONAL) lists devices that MUST be available in the container. The path MAY be anywhere in the container filesystem, notably outside of /dev."
t_devices_outside_dev() {
  mkb; _device '{"path": "/cf/devices/null", "type": "c", "major": 1, "minor": 3}'
  must_run_sh "stat -c '%F %t %T' /cf/devices/null"
  expect_eq "/cf/devices/null" "$OUT" "character special file 1 3"
}
reg devices-existing-mismatch config-linux.md#devices "If a file already exists at path that does not match the requested device, the runtime MUST generate an error."
t_devices_existing_mismatch() {
  mkb; echo regular > "$B/rootfs/cf-exists"
  _device '{"path": "/cf-exists", "type": "c", "major": 1, "minor": 3}'
  shargs "stat -c '%F' /cf-exists"; ID=$(new_id)
  R run -b "$B" "$ID" && fail "a device over an existing regular file was accepted (it is now: $OUT)"
  return 0
}
