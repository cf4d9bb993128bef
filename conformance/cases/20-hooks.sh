# config.md#posix-platform-hooks: only for runtimes whose `features` lists the hook.

HOOK_ENV='["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]'
# hook KIND SCRIPT [TIMEOUT]: append a hook running /bin/sh -c SCRIPT. $H is the host dir for results.
hook() {
  H="$CASE_DIR/h"; mkdir -p "$H"
  local t=${3:-}
  cfg '.hooks[$k] += [{path: "/bin/sh", args: ["sh", "-c", $s], env: $e} + (if $t != "" then {timeout: ($t|tonumber)} else {} end)]' \
    --arg k "$1" --arg s "$2" --argjson e "$HOOK_ENV" --arg t "$t"
}
# host_hook KIND SCRIPT: a hook whose path is a script that exists only on the host.
host_hook() {
  H="$CASE_DIR/h"; mkdir -p "$H"
  local f="$H/$1-$RANDOM.sh"
  printf '#!/bin/sh\n%s\n' "$2" > "$f"; chmod 755 "$f"
  cfg '.hooks[$k] += [{path: $p, args: [$p], env: $e}]' --arg k "$1" --arg p "$f" --argjson e "$HOOK_ENV"
}

reg hooks-prestart-on-create config.md#prestart "The prestart hooks MUST be called as part of the create operation after the runtime environment has been created (according to the configuration in config.json) but before the pivot_root or any equivalent operation has been executed."
t_hooks_prestart_on_create() {
  need_hook prestart; mkb; hook prestart "cat > $CASE_DIR/h/prestart.json"
  create_only 'sleep 100'
  [[ -s $H/prestart.json ]] || fail "the prestart hook did not run during create"
}

reg hooks-createRuntime-on-create config.md#createruntime-hooks "The createRuntime hooks MUST be called as part of the create operation after the runtime environment has been created (according to the configuration in config.json) but before the pivot_root or any equivalent operation has been executed."
t_hooks_createRuntime_on_create() {
  need_hook createRuntime; mkb; hook createRuntime "cat > $CASE_DIR/h/cr.json"
  create_only 'sleep 100'
  [[ -s $H/cr.json ]] || fail "the createRuntime hook did not run during create"
}

reg hooks-createContainer-on-create config.md#createcontainer-hooks "The createContainer hooks MUST be called as part of the create operation after the runtime environment has been created (according to the configuration in config.json) but before the pivot_root or any equivalent operation has been executed."
t_hooks_createContainer_on_create() {
  need_hook createContainer; mkb; hook createContainer "cat > $CASE_DIR/h/cc.json"
  create_only 'sleep 100'
  [[ -s $H/cc.json ]] || fail "the createContainer hook did not run during create"
}

reg hooks-state-on-stdin config.md#posix-platform-hooks "The state of the container MUST be passed to hooks over stdin so that they may do work appropriate to the current state of the container."
t_hooks_state_on_stdin() {
  need_hook createRuntime; mkb; hook createRuntime "cat > $CASE_DIR/h/state.json"
  create_only 'sleep 100'
  jq -e --arg id "$ID" --arg b "$(readlink -f "$B")" '.id == $id and .bundle == $b and (.pid|type) == "number" and .pid > 0 and (.ociVersion|type) == "string"' "$H/state.json" >/dev/null \
    || fail "the hook's stdin is not the container's state: $(head -c 300 "$H/state.json" | tr '\n' ' ')"
}

reg hooks-order-lifecycle config.md#posix-platform-hooks "Hooks MUST be called in the listed order."
t_hooks_order_lifecycle() {
  need_hook prestart; need_hook createRuntime; need_hook createContainer; need_hook poststart; need_hook poststop
  mkb
  local k; for k in prestart createRuntime createContainer poststart poststop; do hook $k "echo $k >> $CASE_DIR/h/order"; done
  create_only 'sleep 100'
  expect_eq "hooks run by create" "$(tr '\n' ' ' < "$H/order")" "prestart createRuntime createContainer "
  R start "$ID" || fail "start failed: $(said)"
  expect_eq "hooks run by create and start" "$(tr '\n' ' ' < "$H/order")" "prestart createRuntime createContainer poststart "
  R kill "$ID" KILL; wait_status "$ID" stopped 5 || fail "container did not stop"
  R delete "$ID" || fail "delete failed: $(said)"
  expect_eq "hooks run by the whole lifecycle" "$(tr '\n' ' ' < "$H/order")" "prestart createRuntime createContainer poststart poststop "
}

reg hooks-order-within-kind config.md#posix-platform-hooks "Hooks MUST be called in the listed order."
t_hooks_order_within_kind() {
  need_hook createRuntime; mkb
  hook createRuntime "echo one >> $CASE_DIR/h/order"
  hook createRuntime "echo two >> $CASE_DIR/h/order"
  hook createRuntime "echo three >> $CASE_DIR/h/order"
  create_only 'sleep 100'
  expect_eq "order of three createRuntime hooks" "$(tr '\n' ' ' < "$H/order")" "one two three "
}

reg hooks-args-env config.md#posix-platform-hooks "args (array of strings, OPTIONAL) with the same semantics as IEEE Std 1003.1-2008 execv's argv. [runtime.md#lifecycle: The createRuntime hooks MUST be invoked by the runtime.]"
t_hooks_args_env() {
  need_hook createRuntime; mkb; H="$CASE_DIR/h"; mkdir -p "$H"
  cfg '.hooks.createRuntime = [{path: "/bin/sh", args: ["sh", "-c", "echo \"$0|$1|$CF_VAR\" > \($f)", "zero", "one"], env: ["CF_VAR=value"]}]' --arg f "$H/args"
  create_only 'sleep 100'
  expect_eq "hook's \$0|\$1|\$CF_VAR" "$(cat "$H/args" 2>/dev/null)" "zero|one|value"
}

reg hooks-prestart-runtime-ns config.md#prestart "The prestart hooks MUST be executed in the runtime namespace."
t_hooks_prestart_runtime_ns() {
  need_hook prestart; mkb; host_hook prestart "readlink /proc/self/ns/net /proc/self/ns/mnt > $CASE_DIR/h/ns"
  create_only 'sleep 100'
  expect_eq "prestart hook's net and mnt namespaces" "$(tr '\n' ' ' < "$H/ns" 2>/dev/null)" "$(host_ns net) $(host_ns mnt) "
}

reg hooks-createRuntime-runtime-ns config.md#createruntime-hooks "The createRuntime hooks MUST be executed in the runtime namespace."
t_hooks_createRuntime_runtime_ns() {
  need_hook createRuntime; mkb; host_hook createRuntime "readlink /proc/self/ns/net /proc/self/ns/mnt > $CASE_DIR/h/ns"
  create_only 'sleep 100'
  expect_eq "createRuntime hook's net and mnt namespaces" "$(tr '\n' ' ' < "$H/ns" 2>/dev/null)" "$(host_ns net) $(host_ns mnt) "
}

reg hooks-createContainer-container-ns config.md#createcontainer-hooks "The createContainer hooks MUST be executed in the container namespace."
t_hooks_createContainer_container_ns() {
  need_hook createContainer; mkb; host_hook createContainer "readlink /proc/self/ns/net /proc/self/ns/mnt > $CASE_DIR/h/ns"
  create_only 'sleep 100'
  expect_eq "createContainer hook's net and mnt namespaces" "$(tr '\n' ' ' < "$H/ns" 2>/dev/null)" "$(pid_ns "$PID" net) $(pid_ns "$PID" mnt) "
}

reg hooks-startContainer-before-process config.md#startcontainer-hooks "The startContainer hooks MUST be called before the user-specified process is executed as part of the start operation."
t_hooks_startContainer_before_process() {
  need_hook startContainer; mkb; hook startContainer 'touch /hook-ran'
  create_only 'if test -e /hook-ran; then echo yes > /seen; else echo no > /seen; fi'
  [[ -e $B/rootfs/hook-ran ]] && fail "the startContainer hook ran during create"
  R start "$ID" || fail "start failed: $(said)"
  wait_for 5 test -s "$B/rootfs/seen" || fail "the program did not run"
  expect_eq "the program saw the hook's file" "$(cat "$B/rootfs/seen")" yes
}

reg hooks-startContainer-container-ns config.md#startcontainer-hooks "The startContainer hooks' path MUST resolve in the container namespace. The startContainer hooks MUST be executed in the container namespace."
t_hooks_startContainer_container_ns() {
  need_hook startContainer; mkb
  printf '#!/bin/sh\n{ readlink /proc/self/ns/net; readlink /proc/self/ns/uts; } > /hook-ns\n' > "$B/rootfs/in-container-hook"; chmod 755 "$B/rootfs/in-container-hook"
  cfg '.hooks.startContainer = [{path: "/in-container-hook", args: ["/in-container-hook"], env: ["PATH=/bin"]}]'
  create_only 'sleep 100'
  R start "$ID" || fail "start failed: $(said)"
  wait_for 5 test -s "$B/rootfs/hook-ns" || fail "the hook at /in-container-hook (a path in the container) did not run"
  expect_eq "startContainer hook's net and uts namespaces" "$(tr '\n' ' ' < "$B/rootfs/hook-ns")" "$(pid_ns "$PID" net) $(pid_ns "$PID" uts) "
}

reg hooks-poststart-after-exec config.md#poststart "The poststart hooks MUST be called after the user-specified process is executed but before the start operation returns."
t_hooks_poststart_after_exec() {
  need_hook poststart; mkb
  host_hook poststart "cat > $CASE_DIR/h/ps.json; p=\$(jq .pid $CASE_DIR/h/ps.json); tr '\\0' ' ' < /proc/\$p/cmdline > $CASE_DIR/h/cmdline"
  create_only 'exec sleep 103'
  [[ -e $H/ps.json ]] && fail "the poststart hook ran during create"
  R start "$ID" || fail "start failed: $(said)"
  [[ -e $H/cmdline ]] || fail "the poststart hook had not run when start returned"
  expect_eq "the container process when the poststart hook ran" "$(cat "$H/cmdline")" "sleep 103 "
}

reg hooks-poststart-runtime-ns config.md#poststart "The poststart hooks MUST be executed in the runtime namespace."
t_hooks_poststart_runtime_ns() {
  need_hook poststart; mkb; host_hook poststart "readlink /proc/self/ns/net /proc/self/ns/mnt > $CASE_DIR/h/ns"
  create_only 'sleep 100'
  R start "$ID" || fail "start failed: $(said)"
  expect_eq "poststart hook's net and mnt namespaces" "$(tr '\n' ' ' < "$H/ns" 2>/dev/null)" "$(host_ns net) $(host_ns mnt) "
}

reg hooks-poststop-on-delete config.md#poststop "The poststop hooks MUST be called after the container is deleted but before the delete operation returns."
t_hooks_poststop_on_delete() {
  need_hook poststop; mkb; host_hook poststop "cat > $CASE_DIR/h/stop.json; readlink /proc/self/ns/net > $CASE_DIR/h/ns"
  start_bg 'exit 0'
  wait_status "$ID" stopped 5 || fail "container did not stop"
  [[ -e $H/stop.json ]] && fail "the poststop hook ran before delete"
  R delete "$ID" || fail "delete failed: $(said)"
  [[ -e $H/stop.json ]] || fail "the poststop hook had not run when delete returned"
  expect_eq "poststop hook's net namespace" "$(cat "$H/ns")" "$(host_ns net)"
}

# hook_fails KIND: a failing hook of KIND; the operation must fail and the program must not run.
reg hooks-prestart-fails config.md#prestart "If any prestart hook fails, the runtime MUST generate an error, stop the container, and continue the lifecycle at step 12."
t_hooks_prestart_fails() { _create_hook_fails prestart; }
reg hooks-createRuntime-fails runtime.md#lifecycle "If any createRuntime hook fails, the runtime MUST generate an error, stop the container, and continue the lifecycle at step 12."
t_hooks_createRuntime_fails() { _create_hook_fails createRuntime; }
reg hooks-createContainer-fails runtime.md#lifecycle "If any createContainer hook fails, the runtime MUST generate an error, stop the container, and continue the lifecycle at step 12."
t_hooks_createContainer_fails() { _create_hook_fails createContainer; }
_create_hook_fails() {
  need_hook "$1"; mkb; hook "$1" 'exit 7'
  shargs 'echo ran > /ran'; ID=$(new_id)
  R create -b "$B" "$ID" && { R start "$ID"; fail "create exited 0 although a $1 hook failed"; }
  R state "$ID" && [[ $(status_of "$ID") != stopped ]] && fail "the container is '$(status_of "$ID")' after the failed $1 hook, want stopped or gone"
  sleep 0.2
  [[ -e $B/rootfs/ran ]] && fail "the program ran although a $1 hook failed"
  return 0
}

reg hooks-startContainer-fails runtime.md#lifecycle "If any startContainer hook fails, the runtime MUST generate an error, stop the container, and continue the lifecycle at step 12."
t_hooks_startContainer_fails() {
  need_hook startContainer; mkb; hook startContainer 'exit 7'
  create_only 'echo ran > /ran'
  R start "$ID" && fail "start exited 0 although a startContainer hook failed"
  sleep 0.3
  [[ -e $B/rootfs/ran ]] && fail "the program ran although a startContainer hook failed"
  R state "$ID" && { wait_status "$ID" stopped 3 || fail "the container is '$(status_of "$ID")' after the failed hook, want stopped or gone"; }
  return 0
}

reg hooks-poststart-fails runtime.md#lifecycle "If any poststart hook fails, the runtime MUST generate an error, stop the container, and continue the lifecycle at step 12."
t_hooks_poststart_fails() {
  need_hook poststart; mkb; hook poststart 'exit 7'
  create_only 'sleep 100'
  R start "$ID" && fail "start exited 0 although a poststart hook failed"
  R state "$ID" && { wait_status "$ID" stopped 3 || fail "the container is '$(status_of "$ID")' after the failed poststart hook, want stopped or gone"; }
  return 0
}

reg hooks-poststop-fails-warns runtime.md#lifecycle "If any poststop hook fails, the runtime MUST log a warning, but the remaining hooks and lifecycle continue as if the hook had succeeded."
t_hooks_poststop_fails_warns() {
  need_hook poststop; mkb
  hook poststop 'exit 7'
  hook poststop "echo second > $CASE_DIR/h/second"
  start_bg 'exit 0'
  wait_status "$ID" stopped 5 || fail "container did not stop"
  R delete "$ID" || fail "delete failed because of a failing poststop hook: $(said)"
  R state "$ID" && fail "the container still exists after delete"
  [[ -s $H/second ]] || fail "the poststop hook after the failing one did not run"
}

reg hooks-timeout config.md#posix-platform-hooks "timeout (int, OPTIONAL) is the number of seconds before aborting the hook. [runtime.md#lifecycle: The createRuntime hooks MUST be invoked by the runtime.]"
t_hooks_timeout() {
  need_hook createRuntime; mkb; hook createRuntime 'exec sleep 8' 1
  shargs 'sleep 100'; ID=$(new_id)
  local t0=$SECONDS
  R create -b "$B" "$ID" && fail "create exited 0 although the createRuntime hook was aborted after its 1s timeout"
  [[ $((SECONDS - t0)) -lt 6 ]] || fail "create took $((SECONDS - t0))s: the hook was not aborted after 1s"
}
