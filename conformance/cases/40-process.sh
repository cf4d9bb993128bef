# config.md#process and its POSIX/Linux parts, hostname, domainname, extensibility, valid values.

reg process-args-exact config.md#process "args (array of strings, OPTIONAL) with similar semantics to IEEE Std 1003.1-2008 execvp's argv. [runtime.md#start: This operation MUST run the user-specified program as specified by process.]"
t_process_args_exact() {
  mkb; ID=$(new_id)
  args sh -c 'for a in "$@"; do printf "[%s]" "$a"; done' zero "a b" "" "*" '$HOME' "-n"
  R run -b "$B" "$ID" || fail "run failed: $(said)"
  expect_eq "arguments as the program received them" "$OUT" '[a b][][*][$HOME][-n]'
}

reg process-args-path-lookup config.md#process "This specification extends the IEEE standard in that at least one entry is REQUIRED (non-Windows), and that entry is used with the same semantics as execvp's file. [runtime.md#start: This operation MUST run the user-specified program as specified by process.]"
t_process_args_path_lookup() {
  mkb; mkdir -p "$B/rootfs/cf/bin"; printf '#!/bin/sh\necho from-cf-path\n' > "$B/rootfs/cf/bin/cf-tool"; chmod 755 "$B/rootfs/cf/bin/cf-tool"
  cfg '.process.env = ["PATH=/cf/bin:/bin"]'
  run_args cf-tool || fail "run of 'cf-tool' (found through the container's PATH) failed: $(said)"
  expect_eq "output" "$OUT" from-cf-path
}

reg process-args-absolute config.md#process "This specification extends the IEEE standard in that at least one entry is REQUIRED (non-Windows), and that entry is used with the same semantics as execvp's file. [runtime.md#start: This operation MUST run the user-specified program as specified by process.]"
t_process_args_absolute() {
  mkb; run_args /bin/echo absolute || fail "run failed: $(said)"
  expect_eq "output" "$OUT" absolute
}

reg process-args-not-found config.md#process "This specification extends the IEEE standard in that at least one entry is REQUIRED (non-Windows), and that entry is used with the same semantics as execvp's file. [runtime.md#start: This operation MUST run the user-specified program as specified by process.]"
t_process_args_not_found() {
  mkb; args /no/such/program; ID=$(new_id)
  R run -b "$B" "$ID" && fail "run of a missing program exited 0"
  return 0
}

reg process-env config.md#process "env (array of strings, OPTIONAL) with the same semantics as IEEE Std 1003.1-2008's environ. [runtime.md#start: This operation MUST run the user-specified program as specified by process.]"
t_process_env() {
  mkb; cfg '.process.env = ["PATH=/bin", "CF_A=1", "CF_B=with space", "CF_C=x=y", "CF_EMPTY="]'
  must_run_sh 'env'
  local v; for v in "PATH=/bin" "CF_A=1" "CF_B=with space" "CF_C=x=y" "CF_EMPTY="; do
    grep -qxF -- "$v" <<<"$OUT" || fail "'$v' missing from the environment: $(tr '\n' ' ' <<<"$OUT")"
  done
}

reg process-cwd config.md#process "cwd (string, REQUIRED) is the working directory that will be set for the executable. [runtime.md#start: This operation MUST run the user-specified program as specified by process.]"
t_process_cwd() {
  mkb; mkdir -p "$B/rootfs/cf/work"; cfg '.process.cwd = "/cf/work"'
  must_run_sh 'pwd'
  expect_eq "working directory" "$OUT" /cf/work
}

reg process-cwd-relative config.md#process "This value MUST be an absolute path."
t_process_cwd_relative() {
  mkb; cfg '.process.cwd = "tmp"'; shargs pwd; ID=$(new_id)
  R run -b "$B" "$ID" && fail "a relative cwd was accepted (the program printed '$OUT')"
  return 0
}

_piped_run() {  # _piped_run INPUT: run the container in $B with INPUT on the runtime's stdin
  ID=$(new_id)
  OUT=$(printf '%s\n' "$1" | timeout -k 2 15 "$RT" --root "$ROOT" run -b "$B" "$ID" 2>"$CASE_DIR/piped.err"); RC=$?
  ERR=$(cat "$CASE_DIR/piped.err"); _trace_cmd "printf '$1\\n' | $RT_NAME run -b $B $ID"
}
reg process-terminal-false config.md#process "terminal (bool, OPTIONAL) specifies whether a terminal is attached to the process, defaults to false. [runtime.md#start: This operation MUST run the user-specified program as specified by process.]"
t_process_terminal_false() {
  mkb; cfg '.process.terminal = false'; shargs 'cat; test -t 0 || echo no-tty'
  _piped_run piped-input
  [[ $RC == 0 ]] || fail "run failed: $(said)"
  expect_eq "output (the runtime's stdin passed through, no terminal)" "$(tr '\n' ' ' <<<"$OUT")" "piped-input no-tty "
}

reg process-terminal-default config.md#process "terminal (bool, OPTIONAL) specifies whether a terminal is attached to the process, defaults to false. [runtime.md#start: This operation MUST run the user-specified program as specified by process.]"
t_process_terminal_default() {
  mkb; cfg 'del(.process.terminal)'; shargs 'cat; test -t 0 || echo no-tty'
  _piped_run piped-input
  [[ $RC == 0 ]] || fail "run failed: $(said)"
  expect_eq "output (the runtime's stdin passed through, no terminal)" "$(tr '\n' ' ' <<<"$OUT")" "piped-input no-tty "
}

reg process-consoleSize-ignored config.md#process "Runtimes MUST ignore consoleSize if terminal is false or unset."
t_process_consoleSize_ignored() {
  mkb; cfg '.process.terminal = false | .process.consoleSize = {height: 11, width: 22}'; shargs 'cat; test -t 0 || echo no-tty'
  _piped_run piped-input
  [[ $RC == 0 ]] || fail "run with consoleSize and terminal false failed: $(said)"
  expect_eq "output" "$(tr '\n' ' ' <<<"$OUT")" "piped-input no-tty "
}

reg user-uid config.md#posix-platform-user "uid (int, REQUIRED) specifies the user ID in the container namespace. [runtime.md#start: This operation MUST run the user-specified program as specified by process.]"
t_user_uid() {
  mkb; cfg '.process.user.uid = 1000'
  must_run_sh 'grep ^Uid: /proc/self/status'
  expect_eq "real, effective, saved and fs uid" "$(awk '{print $2,$3,$4,$5}' <<<"$OUT")" "1000 1000 1000 1000"
}

reg user-gid config.md#posix-platform-user "gid (int, REQUIRED) specifies the group ID in the container namespace. [runtime.md#start: This operation MUST run the user-specified program as specified by process.]"
t_user_gid() {
  mkb; cfg '.process.user.gid = 1001'
  must_run_sh 'grep ^Gid: /proc/self/status'
  expect_eq "real, effective, saved and fs gid" "$(awk '{print $2,$3,$4,$5}' <<<"$OUT")" "1001 1001 1001 1001"
}

reg user-additionalGids config.md#posix-platform-user "additionalGids (array of ints, OPTIONAL) specifies additional group IDs in the container namespace to be added to the process. [runtime.md#start: This operation MUST run the user-specified program as specified by process.]"
t_user_additionalGids() {
  mkb; cfg '.process.user = {uid: 1000, gid: 1000, additionalGids: [5, 6, 1002]}'
  must_run_sh 'grep ^Groups: /proc/self/status; id -G'
  local g; for g in 5 6 1002; do
    [[ " $(head -1 <<<"$OUT" | cut -d: -f2 | xargs) " == *" $g "* ]] || fail "group $g missing: $(said)"
  done
}

reg user-umask config.md#posix-platform-user "umask (int, OPTIONAL) specifies the umask of the user. [runtime.md#start: This operation MUST run the user-specified program as specified by process.]"
t_user_umask() {
  mkb; cfg '.process.user.umask = 23'
  must_run_sh 'umask; touch /tmp/f; mkdir /tmp/d; stat -c %a /tmp/f /tmp/d'
  expect_eq "umask, new file and directory modes (umask 23 = 0027)" "$(tr '\n' ' ' <<<"$OUT")" "0027 640 750 "
}

reg user-umask-077 config.md#posix-platform-user "umask (int, OPTIONAL) specifies the umask of the user. [runtime.md#start: This operation MUST run the user-specified program as specified by process.]"
t_user_umask_077() {
  mkb; cfg '.process.user.umask = 63'
  must_run_sh 'umask'
  expect_eq "umask (63 = 0077)" "$OUT" 0077
}

# ---------------------------------------------------------------- rlimits
# rlimit TYPE PROCNAME SOFT HARD: both values are capped to the hard limit the runtime starts with.
_rlimit_case() {
  local type=$1 name=$2 soft=$3 hard=$4 cur
  cur=$(awk -v n="Max $name " 'index($0, n) == 1 { s = substr($0, 27); split(s, a, " "); print a[2]; exit }' /proc/self/limits)
  [[ -n $cur ]] || skip "no 'Max $name' in /proc/self/limits"
  if [[ $cur != unlimited ]]; then
    [[ $hard -gt $cur ]] && hard=$cur
    [[ $soft -gt $hard ]] && soft=$hard
  fi
  mkb
  cfg '.process.rlimits = [{type: $t, soft: ($s|tonumber), hard: ($h|tonumber)}]' --arg t "$type" --arg s "$soft" --arg h "$hard"
  must_run_sh 'cat /proc/self/limits'
  expect_eq "$type soft and hard in /proc/self/limits" "$(proc_limit "$OUT" "$name")" "$soft $hard"
}
_reg_rlimit() {
  reg "rlimit-$1" config.md#posix-process "For each entry in rlimits, a getrlimit(3) on type MUST succeed. ... rlim.rlim_cur MUST match the configured value. ... rlim.rlim_max MUST match the configured value."
}
_reg_rlimit nofile;     t_rlimit_nofile()     { _rlimit_case RLIMIT_NOFILE "open files" 512 768; }
_reg_rlimit core;       t_rlimit_core()       { _rlimit_case RLIMIT_CORE "core file size" 1024 4096; }
_reg_rlimit cpu;        t_rlimit_cpu()        { _rlimit_case RLIMIT_CPU "cpu time" 1000 2000; }
_reg_rlimit fsize;      t_rlimit_fsize()      { _rlimit_case RLIMIT_FSIZE "file size" 1048576 2097152; }
_reg_rlimit data;       t_rlimit_data()       { _rlimit_case RLIMIT_DATA "data size" 1073741824 2147483648; }
_reg_rlimit stack;      t_rlimit_stack()      { _rlimit_case RLIMIT_STACK "stack size" 4194304 8388608; }
_reg_rlimit rss;        t_rlimit_rss()        { _rlimit_case RLIMIT_RSS "resident set" 1073741824 2147483648; }
_reg_rlimit nproc;      t_rlimit_nproc()      { _rlimit_case RLIMIT_NPROC "processes" 50000 60000; }
_reg_rlimit memlock;    t_rlimit_memlock()    { _rlimit_case RLIMIT_MEMLOCK "locked memory" 65536 131072; }
_reg_rlimit as;         t_rlimit_as()         { _rlimit_case RLIMIT_AS "address space" 1073741824 2147483648; }
_reg_rlimit locks;      t_rlimit_locks()      { _rlimit_case RLIMIT_LOCKS "file locks" 100 200; }
_reg_rlimit sigpending; t_rlimit_sigpending() { _rlimit_case RLIMIT_SIGPENDING "pending signals" 1000 2000; }
_reg_rlimit msgqueue;   t_rlimit_msgqueue()   { _rlimit_case RLIMIT_MSGQUEUE "msgqueue size" 4096 8192; }
_reg_rlimit nice;       t_rlimit_nice()       { _rlimit_case RLIMIT_NICE "nice priority" 0 0; }
_reg_rlimit rtprio;     t_rlimit_rtprio()     { _rlimit_case RLIMIT_RTPRIO "realtime priority" 0 0; }
_reg_rlimit rttime;     t_rlimit_rttime()     { _rlimit_case RLIMIT_RTTIME "realtime timeout" 1000000 2000000; }

reg rlimit-fsize-enforced config.md#posix-process "soft (uint64, REQUIRED) the value of the limit enforced for the corresponding resource. [runtime.md#start: This operation MUST run the user-specified program as specified by process.]"
t_rlimit_fsize_enforced() {
  mkb; cfg '.process.rlimits = [{type: "RLIMIT_FSIZE", soft: 65536, hard: 65536}]'
  run_sh 'trap "" XFSZ; dd if=/dev/zero of=/tmp/big bs=1024 count=128 2>/dev/null; stat -c %s /tmp/big'
  expect_eq "size of a 128 KiB write under RLIMIT_FSIZE 65536" "$(tail -1 <<<"$OUT")" 65536
}

reg rlimit-invalid-type config.md#posix-process "The runtime MUST generate an error for any values which cannot be mapped to a relevant kernel interface."
t_rlimit_invalid_type() {
  mkb; cfg '.process.rlimits = [{type: "RLIMIT_CF_BOGUS", soft: 1, hard: 1}]'; shargs true; ID=$(new_id)
  R run -b "$B" "$ID" && fail "an unknown rlimit type was accepted"
  return 0
}

reg rlimit-duplicate config.md#posix-process "If rlimits contains duplicated entries with same type, the runtime MUST generate an error."
t_rlimit_duplicate() {
  mkb; cfg '.process.rlimits = [{type: "RLIMIT_NOFILE", soft: 512, hard: 512}, {type: "RLIMIT_NOFILE", soft: 256, hard: 256}]'
  shargs true; ID=$(new_id)
  R run -b "$B" "$ID" && fail "duplicated RLIMIT_NOFILE entries were accepted"
  return 0
}

# ---------------------------------------------------------------- capabilities
CAP_B=(CAP_CHOWN CAP_DAC_OVERRIDE CAP_FOWNER CAP_KILL CAP_NET_BIND_SERVICE CAP_NET_RAW CAP_SETUID)
CAP_I=(CAP_CHOWN CAP_KILL CAP_NET_BIND_SERVICE CAP_NET_RAW)
CAP_P=(CAP_KILL CAP_NET_BIND_SERVICE)
# A non-root process keeps after execve exactly its ambient set in permitted and effective,
# so the sets are chosen to be observable: effective = permitted = ambient, within inheritable.
_caps_sets() {
  mkb
  cfg '.process.user = {uid: 1000, gid: 1000} | .process.noNewPrivileges = false
       | .process.capabilities = {bounding: $b, inheritable: $i, permitted: $p, effective: $p, ambient: $p}' \
    --argjson b "$(jarr "${CAP_B[@]}")" --argjson i "$(jarr "${CAP_I[@]}")" --argjson p "$(jarr "${CAP_P[@]}")"
  must_run_sh 'cat /proc/self/status'
}
reg caps-bounding config.md#linux-process "bounding (array of strings, OPTIONAL) the bounding field is an array of bounding capabilities that are kept for the process. [runtime.md#start: This operation MUST run the user-specified program as specified by process.]"
t_caps_bounding() { _caps_sets; expect_eq CapBnd "$(status_field "$OUT" CapBnd)" "$(cap_mask "${CAP_B[@]}")"; }
reg caps-inheritable config.md#linux-process "inheritable (array of strings, OPTIONAL) the inheritable field is an array of inheritable capabilities that are kept for the process. [runtime.md#start: This operation MUST run the user-specified program as specified by process.]"
t_caps_inheritable() { _caps_sets; expect_eq CapInh "$(status_field "$OUT" CapInh)" "$(cap_mask "${CAP_I[@]}")"; }
reg caps-permitted config.md#linux-process "permitted (array of strings, OPTIONAL) the permitted field is an array of permitted capabilities that are kept for the process. [runtime.md#start: This operation MUST run the user-specified program as specified by process.]"
t_caps_permitted() { _caps_sets; expect_eq CapPrm "$(status_field "$OUT" CapPrm)" "$(cap_mask "${CAP_P[@]}")"; }
reg caps-effective config.md#linux-process "effective (array of strings, OPTIONAL) the effective field is an array of effective capabilities that are kept for the process. [runtime.md#start: This operation MUST run the user-specified program as specified by process.]"
t_caps_effective() { _caps_sets; expect_eq CapEff "$(status_field "$OUT" CapEff)" "$(cap_mask "${CAP_P[@]}")"; }
reg caps-ambient config.md#linux-process "ambient (array of strings, OPTIONAL) the ambient field is an array of ambient capabilities that are kept for the process. [runtime.md#start: This operation MUST run the user-specified program as specified by process.]"
t_caps_ambient() { _caps_sets; expect_eq CapAmb "$(status_field "$OUT" CapAmb)" "$(cap_mask "${CAP_P[@]}")"; }

reg caps-root-bounding config.md#linux-process "bounding (array of strings, OPTIONAL) the bounding field is an array of bounding capabilities that are kept for the process. [runtime.md#start: This operation MUST run the user-specified program as specified by process.]"
t_caps_root_bounding() {
  mkb; cfg '.process.user = {uid: 0, gid: 0} | .process.capabilities = {bounding: ["CAP_CHOWN", "CAP_KILL"], effective: ["CAP_CHOWN", "CAP_KILL"], permitted: ["CAP_CHOWN", "CAP_KILL"]}'
  must_run_sh 'cat /proc/self/status'
  expect_eq "CapBnd of root" "$(status_field "$OUT" CapBnd)" "$(cap_mask CAP_CHOWN CAP_KILL)"
  expect_eq "CapEff of root" "$(status_field "$OUT" CapEff)" "$(cap_mask CAP_CHOWN CAP_KILL)"
}

reg caps-without-chown config.md#linux-process "effective (array of strings, OPTIONAL) the effective field is an array of effective capabilities that are kept for the process. [runtime.md#start: This operation MUST run the user-specified program as specified by process.]"
t_caps_without_chown() {
  mkb; cfg '.process.capabilities = {bounding: ["CAP_KILL"], effective: ["CAP_KILL"], permitted: ["CAP_KILL"]}'
  run_sh 'touch /tmp/f; chown 1:1 /tmp/f 2>&1; echo rc=$?'
  [[ $OUT == *"Operation not permitted"* ]] || fail "chown without CAP_CHOWN: $(said)"
}

reg caps-with-chown config.md#linux-process "effective (array of strings, OPTIONAL) the effective field is an array of effective capabilities that are kept for the process. [runtime.md#start: This operation MUST run the user-specified program as specified by process.]"
t_caps_with_chown() {
  mkb; cfg '.process.capabilities = {bounding: ["CAP_CHOWN"], effective: ["CAP_CHOWN"], permitted: ["CAP_CHOWN"]}'
  run_sh 'touch /tmp/f; chown 1:1 /tmp/f 2>&1; stat -c %u:%g /tmp/f'
  expect_eq "owner after chown with CAP_CHOWN" "$OUT" 1:1
}

reg caps-unknown-not-fatal config.md#linux-process "Runtimes SHOULD NOT fail if the container configuration requests capabilities that cannot be granted, for example, if the runtime operates in a restricted environment with a limited set of capabilities."
t_caps_unknown_not_fatal() {
  mkb; cfg '.process.capabilities.bounding += ["CAP_CF_NOT_A_CAPABILITY"] | .process.capabilities.effective += ["CAP_CF_NOT_A_CAPABILITY"]'
  run_sh 'echo ran' || fail "run with an unknown capability failed: $(said)"
  expect_eq output "$OUT" ran
}

reg noNewPrivileges-true config.md#linux-process "noNewPrivileges (bool, OPTIONAL) setting noNewPrivileges to true prevents the process from gaining additional privileges. [runtime.md#start: This operation MUST run the user-specified program as specified by process.]"
t_noNewPrivileges_true() {
  mkb; cfg '.process.noNewPrivileges = true'
  must_run_sh 'grep ^NoNewPrivs: /proc/self/status'
  expect_eq NoNewPrivs "$(awk '{print $2}' <<<"$OUT")" 1
}

reg noNewPrivileges-false config.md#linux-process "noNewPrivileges (bool, OPTIONAL) setting noNewPrivileges to true prevents the process from gaining additional privileges. [runtime.md#start: This operation MUST run the user-specified program as specified by process.]"
t_noNewPrivileges_false() {
  mkb; cfg '.process.noNewPrivileges = false'
  must_run_sh 'grep ^NoNewPrivs: /proc/self/status'
  expect_eq NoNewPrivs "$(awk '{print $2}' <<<"$OUT")" 0
}

reg noNewPrivileges-blocks-file-caps config.md#linux-process "noNewPrivileges (bool, OPTIONAL) setting noNewPrivileges to true prevents the process from gaining additional privileges. [runtime.md#start: This operation MUST run the user-specified program as specified by process.]"
t_noNewPrivileges_blocks_file_caps() {
  mkb; _caps_dir; cfg '.process.noNewPrivileges = true'
  add_mount /capdir none "$CASE_DIR/capdir" bind suid
  must_run_sh '/capdir/busybox grep CapEff /proc/self/status'
  expect_eq "CapEff of a file-capability binary under noNewPrivileges" "$(awk '{print $2}' <<<"$OUT")" 0000000000000000
}

reg oomScoreAdj-set config.md#linux-process "If oomScoreAdj is set, the runtime MUST set oom_score_adj to the given value."
t_oomScoreAdj_set() {
  mkb; cfg '.process.oomScoreAdj = 123'
  must_run_sh 'cat /proc/self/oom_score_adj'
  expect_eq oom_score_adj "$OUT" 123
}

reg oomScoreAdj-unset config.md#linux-process "If oomScoreAdj is not set, the runtime MUST NOT change the value of oom_score_adj."
t_oomScoreAdj_unset() {
  mkb; cfg 'del(.process.oomScoreAdj)'; shargs 'cat /proc/self/oom_score_adj'; ID=$(new_id)
  local base; base=$(cat /proc/self/oom_score_adj)
  local want=$((base + 17))
  RW sh -c "echo $want > /proc/self/oom_score_adj && exec \"\$0\" \"\$@\"" -- run -b "$B" "$ID" || fail "run failed: $(said)"
  expect_eq "oom_score_adj (the runtime was started with $want)" "$OUT" "$want"
}

reg hostname config.md#hostname "hostname (string, OPTIONAL) specifies the container's hostname as seen by processes running inside the container. [runtime.md#create: All of the properties configured in config.json except for process MUST be applied.]"
t_hostname() {
  mkb; cfg '.hostname = "cf-hostname"'
  must_run_sh 'hostname; cat /proc/sys/kernel/hostname'
  expect_eq "hostname and kernel.hostname" "$(tr '\n' ' ' <<<"$OUT")" "cf-hostname cf-hostname "
}

reg domainname config.md#domainname "domainname (string, OPTIONAL) specifies the container's domainname as seen by processes running inside the container. [runtime.md#create: All of the properties configured in config.json except for process MUST be applied.]"
t_domainname() {
  mkb; cfg '.domainname = "cf.example.test"'
  must_run_sh 'cat /proc/sys/kernel/domainname'
  expect_eq "kernel.domainname" "$OUT" cf.example.test
}

reg extensibility-unknown-top config.md#extensibility "Runtimes MAY log unknown properties but MUST otherwise ignore them. That includes not generating errors if they encounter an unknown property."
t_extensibility_unknown_top() {
  mkb; cfg '.cfUnknownProperty = {nested: [1, 2, {x: "y"}]} | .["org.example.unknown"] = "value"'
  run_sh 'echo ran' || fail "run with an unknown top-level property failed: $(said)"
  expect_eq output "$OUT" ran
}

reg extensibility-unknown-nested config.md#extensibility "Runtimes MAY log unknown properties but MUST otherwise ignore them. That includes not generating errors if they encounter an unknown property."
t_extensibility_unknown_nested() {
  mkb; cfg '.process.cfUnknown = true | .linux.cfUnknown = {a: 1} | .root.cfUnknown = "x" | .mounts[0].cfUnknown = 7 | .process.user.cfUnknown = []'
  run_sh 'echo ran' || fail "run with unknown nested properties failed: $(said)"
  expect_eq output "$OUT" ran
}

reg annotations-values-empty config.md#annotations "Values MUST be strings. Values MAY be an empty string."
t_annotations_values_empty() {
  mkb; cfg '.annotations = {"com.example.empty": "", "com.example.key": "v"}'
  run_sh 'echo ran' || fail "run with an empty annotation value failed: $(said)"
}

reg valid-values-namespace-type config.md#valid-values "Runtimes MUST generate an error when invalid or unsupported values are encountered."
t_valid_values_namespace_type() {
  mkb; cfg '.linux.namespaces += [{type: "cf-bogus"}]'; shargs 'echo ran'; ID=$(new_id)
  R run -b "$B" "$ID" && fail "namespace type 'cf-bogus' was accepted"
  return 0
}

reg valid-values-rootfsPropagation config.md#valid-values "Runtimes MUST generate an error when invalid or unsupported values are encountered."
t_valid_values_rootfsPropagation() {
  mkb; cfg '.linux.rootfsPropagation = "cf-bogus"'; shargs 'echo ran'; ID=$(new_id)
  R run -b "$B" "$ID" && fail "rootfsPropagation 'cf-bogus' was accepted"
  return 0
}

reg valid-values-device-type config.md#valid-values "Runtimes MUST generate an error when invalid or unsupported values are encountered."
t_valid_values_device_type() {
  mkb; cfg '.linux.devices = [{path: "/dev/cf-bogus", type: "x", major: 1, minor: 3}]'; shargs 'echo ran'; ID=$(new_id)
  R run -b "$B" "$ID" && fail "device type 'x' was accepted"
  return 0
}

reg ociversion-spec-semver config.md#specification-version "ociVersion (string, REQUIRED) MUST be in SemVer v2.0.0 format and specifies the version of the Open Container Initiative Runtime Specification with which the bundle complies."
t_ociversion_spec_semver() {
  mkdir -p "$CASE_DIR/spec" && cd "$CASE_DIR/spec" || fail "mkdir"
  timeout 10 "$RT" spec </dev/null >/dev/null 2>&1 || skip "the runtime has no working 'spec' command"
  local v; v=$(jq -r '.ociVersion | strings' config.json)
  [[ $v =~ $SEMVER ]] || fail "'$RT_NAME spec' writes ociVersion '$v', not SemVer"
}

reg ociversion-min-accepted config.md#specification-version "For example, if a configuration is compliant with version 1.1 of this specification, it is compatible with all runtimes that support any 1.1 or later release of this specification, but is not compatible with a runtime that supports 1.0 and not 1.1. [runtime.md#create: All of the properties configured in config.json except for process MUST be applied.]"
t_ociversion_min_accepted() {
  local v; v=$(feat '.ociVersionMin | strings')
  [[ -n $v ]] || v=1.0.0
  mkb; cfg '.ociVersion = $v' --arg v "$v"
  run_sh 'echo ran' || fail "a bundle with ociVersion $v (the runtime's ociVersionMin) was refused: $(said)"
}
