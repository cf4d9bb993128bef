# runtime.md: state, lifecycle and operations.

SEMVER='^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$'

reg state-ociversion runtime.md#state "ociVersion (string, REQUIRED) is version of the Open Container Initiative Runtime Specification with which the state complies. [runtime.md#query-state: This operation MUST return the state of a container as specified in the State section.]"
t_state_ociversion() {
  mkb; create_only 'sleep 100'
  local v; v=$(state_of "$ID" '.ociVersion | strings')
  [[ $v =~ $SEMVER ]] || fail "state ociVersion '$v' is not a SemVer string"
}

reg state-id runtime.md#state "id (string, REQUIRED) is the container's ID. [runtime.md#query-state: This operation MUST return the state of a container as specified in the State section.]"
t_state_id() {
  mkb; create_only 'sleep 100'
  expect_eq "state id" "$(state_of "$ID" '.id')" "$ID"
}

reg state-status-created runtime.md#state "created: the runtime has finished the create operation (after step 2 in the lifecycle), and the container process has neither exited nor executed the user-specified program [runtime.md#query-state: This operation MUST return the state of a container as specified in the State section.]"
t_state_status_created() {
  mkb; create_only 'sleep 100'
  expect_eq "status after create" "$(status_of "$ID")" created
}

reg state-status-created-stays runtime.md#state "created: the runtime has finished the create operation (after step 2 in the lifecycle), and the container process has neither exited nor executed the user-specified program [runtime.md#query-state: This operation MUST return the state of a container as specified in the State section.]"
t_state_status_created_stays() {
  mkb; create_only 'exit 0'
  sleep 1
  expect_eq "status 1s after create (the program would exit at once if it ran)" "$(status_of "$ID")" created
}

reg state-status-running runtime.md#state "running: the container process has executed the user-specified program but has not exited (after step 8 in the lifecycle) [runtime.md#query-state: This operation MUST return the state of a container as specified in the State section.]"
t_state_status_running() {
  mkb; create_only 'sleep 100'
  R start "$ID" || fail "start failed: $(said)"
  expect_eq "status after start" "$(status_of "$ID")" running
}

reg state-status-stopped runtime.md#state "stopped: the container process has exited (step 10 in the lifecycle) [runtime.md#query-state: This operation MUST return the state of a container as specified in the State section.]"
t_state_status_stopped() {
  mkb; create_only 'exit 3'
  R start "$ID" || fail "start failed: $(said)"
  wait_status "$ID" stopped 5 || fail "status is '$(status_of "$ID")' 5s after the program exited, want stopped"
}

reg state-status-stopped-killed runtime.md#state "stopped: the container process has exited (step 10 in the lifecycle) [runtime.md#query-state: This operation MUST return the state of a container as specified in the State section.]"
t_state_status_stopped_killed() {
  mkb; start_bg 'sleep 100'
  R kill "$ID" KILL || fail "kill failed: $(said)"
  wait_status "$ID" stopped 5 || fail "status is '$(status_of "$ID")' 5s after SIGKILL, want stopped"
}

reg state-pid-created runtime.md#state "pid (int, REQUIRED when status is created or running on Linux) is the ID of the container process. [runtime.md#query-state: This operation MUST return the state of a container as specified in the State section.]"
t_state_pid_created() {
  mkb; create_only 'sleep 100'
  local p; p=$(state_of "$ID" '.pid | numbers')
  [[ $p =~ ^[0-9]+$ && $p -gt 0 ]] || fail "state pid '$p' is not a positive integer"
  [[ -d /proc/$p ]] || fail "no process $p"
  [[ $(pid_ns "$p" net) != "$(host_ns net)" ]] || fail "process $p is in the host's network namespace, not the container's"
}

reg state-pid-running runtime.md#state "pid (int, REQUIRED when status is created or running on Linux) is the ID of the container process. [runtime.md#query-state: This operation MUST return the state of a container as specified in the State section.]"
t_state_pid_running() {
  mkb; create_only 'exec sleep 101'
  R start "$ID" || fail "start failed: $(said)"
  local p; p=$(state_of "$ID" '.pid | numbers')
  [[ $p =~ ^[0-9]+$ && $p -gt 0 ]] || fail "state pid '$p' is not a positive integer"
  wait_for 5 _cmdline_is "$p" "sleep 101" || fail "process $p runs '$(tr '\0' ' ' < /proc/$p/cmdline 2>/dev/null)', want 'sleep 101'"
}
_cmdline_is() { [[ $(tr '\0' ' ' < "/proc/$1/cmdline" 2>/dev/null) == "$2 " ]]; }

reg state-bundle-absolute runtime.md#state "bundle (string, REQUIRED) is the absolute path to the container's bundle directory. [runtime.md#query-state: This operation MUST return the state of a container as specified in the State section.]"
t_state_bundle_absolute() {
  mkb
  shargs 'sleep 100'; ID=$(new_id)
  cd "$CASE_DIR" && R create -b b "$ID" || fail "create -b b (relative) failed: $(said)"
  cd /
  expect_eq "state bundle (created with a relative -b)" "$(state_of "$ID" .bundle)" "$(readlink -f "$B")"
}

reg state-annotations runtime.md#state "annotations (map, OPTIONAL) contains the list of annotations associated with the container. [runtime.md#query-state: This operation MUST return the state of a container as specified in the State section.]"
t_state_annotations() {
  mkb
  cfg '.annotations = {"org.example.key": "value", "org.example.empty": "", "com.example.gpu-cores": "2"}'
  create_only 'sleep 100'
  local a; a=$(state_of "$ID" '.annotations | tojson')
  [[ $(jq -S -c . <<<"$a") == "$(jq -S -c '.annotations' "$B/config.json")" ]] || fail "state annotations $a differ from the config's"
}

reg state-annotations-none runtime.md#state "If no annotations were provided then this property MAY either be absent or an empty map. [runtime.md#query-state: This operation MUST return the state of a container as specified in the State section.]"
t_state_annotations_none() {
  mkb; cfg 'del(.annotations)'
  create_only 'sleep 100'
  local a; a=$(state_of "$ID" '.annotations | tojson')
  [[ $a == null || $a == '{}' ]] || fail "state annotations are $a with none configured"
}

reg state-schema runtime.md#state "When serialized in JSON, the format MUST adhere to the JSON Schema schema/state-schema.json."
t_state_schema() {
  mkb; create_only 'sleep 100'
  local s; s=$(state_of "$ID" .) || fail "state failed"
  jq -e '(.ociVersion|type) == "string" and (.id|type) == "string" and (.status|type) == "string"
         and (.bundle|type) == "string" and ((.pid // 0)|type) == "number"
         and ((.annotations // {})|type) == "object" and ([.annotations // {} | .[] | type] | all(. == "string"))
         and (.status | test("^(creating|created|running|stopped|paused)$"))' <<<"$s" >/dev/null \
    || fail "state does not match state-schema.json: $(tr '\n' ' ' <<<"$s")"
}

reg state-unknown-id runtime.md#query-state "Attempting to query a container that does not exist MUST generate an error."
t_state_unknown_id() {
  R state "cf$RUN_ID-nosuch" && fail "state of an unknown id exited 0: $(said)"
  return 0
}

reg state-no-id runtime.md#query-state "This operation MUST generate an error if it is not provided the ID of a container."
t_state_no_id() {
  R state && fail "state without an id exited 0: $(said)"
  return 0
}

reg create-duplicate-id runtime.md#create "If the ID provided is not unique across all containers within the scope of the runtime, or is not valid in any other way, the implementation MUST generate an error and a new container MUST NOT be created."
t_create_duplicate_id() {
  mkb b1; create_only 'sleep 100'
  local p1=$PID
  mkb b2; shargs 'touch /second'
  R create -b "$CASE_DIR/b2" "$ID" && fail "a second create with the same id exited 0"
  expect_eq "bundle after the refused create" "$(state_of "$ID" .bundle)" "$(readlink -f "$CASE_DIR/b1")"
  expect_eq "pid after the refused create" "$(state_of "$ID" .pid)" "$p1"
  expect_eq "status after the refused create" "$(status_of "$ID")" created
}

reg create-duplicate-id-running runtime.md#create "If the ID provided is not unique across all containers within the scope of the runtime, or is not valid in any other way, the implementation MUST generate an error and a new container MUST NOT be created."
t_create_duplicate_id_running() {
  mkb b1; start_bg 'sleep 100'
  mkb b2; shargs 'touch /second'
  R create -b "$CASE_DIR/b2" "$ID" && fail "create with the id of a running container exited 0"
  sleep 0.3
  [[ -e $CASE_DIR/b2/rootfs/second ]] && fail "the refused create ran its process"
  expect_eq "status after the refused create" "$(status_of "$ID")" running
}

reg create-invalid-id runtime.md#create "If the ID provided is not unique across all containers within the scope of the runtime, or is not valid in any other way, the implementation MUST generate an error and a new container MUST NOT be created."
t_create_invalid_id() {
  mkb; shargs 'touch /ran'
  local bad accepted=
  # Never `delete` an accepted bad id: a runtime that took it may resolve it outside --root.
  for bad in "../cf$RUN_ID-escape" "cf$RUN_ID/x"; do
    R create -b "$B" "$bad" && accepted+=" '$bad'"
  done
  if [[ -n $accepted ]]; then
    rm -rf "$ROOT/../cf$RUN_ID-escape" "$ROOT/cf$RUN_ID"
    fail "create accepted the invalid id(s)$accepted"
  fi
  return 0
}

reg create-no-id runtime.md#create "This operation MUST generate an error if it is not provided a path to the bundle and the container ID to associate with the container."
t_create_no_id() {
  mkb; shargs 'touch /ran'
  R create -b "$B" && fail "create without an id exited 0"
  sleep 0.2
  [[ -e $B/rootfs/ran ]] && fail "create without an id ran the process"
  return 0
}

reg create-bundle-missing runtime.md#create "This operation MUST generate an error if it is not provided a path to the bundle and the container ID to associate with the container."
t_create_bundle_missing() {
  ID=$(new_id)
  R create -b "$CASE_DIR/no-such-bundle" "$ID" && fail "create with a missing bundle exited 0"
  R state "$ID" && fail "a container exists after the failed create: $(said)"
  return 0
}

reg create-error-leaves-nothing runtime.md#errors "Unless otherwise stated, generating an error MUST leave the state of the environment as if the operation were never attempted - modulo any possible trivial ancillary changes such as logging."
t_create_error_leaves_nothing() {
  mkb; shargs 'sleep 100'
  add_mount /data none "$CASE_DIR/no-such-dir" bind
  ID=$(new_id)
  R create -b "$B" "$ID" && fail "create with a missing bind source exited 0"
  R state "$ID" && fail "state of the failed container succeeds: $(said)"
  cfg '.mounts |= map(select(.destination != "/data"))'
  R create -b "$B" "$ID" || fail "the id cannot be used again after a failed create: $(said)"
}

reg create-not-run-process runtime.md#lifecycle "While the resources requested in the config.json MUST be created, the user-specified program (from process) MUST NOT be run at this time."
t_create_not_run_process() {
  mkb; create_only 'echo ran > /ran'
  sleep 1
  [[ -e $B/rootfs/ran ]] && fail "the user program ran before start (it wrote /ran)"
  return 0
}

reg create-args-not-applied runtime.md#create "process.args MUST NOT be applied until triggered by the start operation."
t_create_args_not_applied() {
  mkb; create_only 'exec sleep 102'
  sleep 0.5
  local c; c=$(tr '\0' ' ' < "/proc/$PID/cmdline")
  [[ $c == "sleep 102 " || $c == *"sleep 102"* ]] && fail "the container process already runs the user's args before start: $c"
  return 0
}

reg create-applies-namespaces runtime.md#create "All of the properties configured in config.json except for process MUST be applied."
t_create_applies_namespaces() {
  mkb; create_only 'sleep 100'
  local t
  for t in net uts ipc mnt pid; do
    [[ $(pid_ns "$PID" $t) != "$(host_ns $t)" ]] || fail "after create, the container process is still in the host's $t namespace"
  done
}

reg create-applies-hostname runtime.md#create "All of the properties configured in config.json except for process MUST be applied."
t_create_applies_hostname() {
  mkb; cfg '.hostname = "cf-created"'
  create_only 'sleep 100'
  expect_eq "hostname in the container's UTS namespace after create" "$(nsenter -t "$PID" -u hostname)" cf-created
}

reg create-applies-mounts runtime.md#create "All of the properties configured in config.json except for process MUST be applied."
t_create_applies_mounts() {
  mkb; add_mount /cf-mnt tmpfs tmpfs size=1m
  create_only 'sleep 100'
  grep -q ' /cf-mnt ' "/proc/$PID/mountinfo" || fail "after create, /cf-mnt is not mounted in the container's mount namespace"
}

reg create-config-changes-ignored runtime.md#lifecycle "Any updates to config.json after this step MUST NOT affect the container."
t_create_config_changes_ignored() {
  mkb; create_only 'echo first > /which'
  shargs 'echo second > /which'
  R start "$ID" || fail "start failed: $(said)"
  wait_for 5 test -s "$B/rootfs/which" || fail "the program did not run"
  expect_eq "program that ran" "$(cat "$B/rootfs/which")" first
}

reg start-runs-process runtime.md#start "This operation MUST run the user-specified program as specified by process."
t_start_runs_process() {
  mkb; create_only 'echo ran > /ran'
  R start "$ID" || fail "start failed: $(said)"
  wait_for 5 test -s "$B/rootfs/ran" || fail "the user program did not run within 5s of start"
}

reg start-no-id runtime.md#start "This operation MUST generate an error if it is not provided the container ID."
t_start_no_id() {
  R start && fail "start without an id exited 0"
  return 0
}

reg start-unknown-id runtime.md#start "Attempting to start a container that is not created MUST have no effect on the container and MUST generate an error."
t_start_unknown_id() {
  R start "cf$RUN_ID-nosuch" && fail "start of an unknown id exited 0"
  return 0
}

reg start-running runtime.md#start "Attempting to start a container that is not created MUST have no effect on the container and MUST generate an error."
t_start_running() {
  mkb; create_only 'echo x >> /count; exec sleep 100'
  R start "$ID" || fail "start failed: $(said)"
  wait_for 5 test -s "$B/rootfs/count" || fail "the program did not run"
  local p; p=$(state_of "$ID" .pid)
  R start "$ID" && fail "a second start of a running container exited 0"
  sleep 0.3
  expect_eq "times the program ran" "$(wc -l < "$B/rootfs/count")" 1
  expect_eq "status after the refused start" "$(status_of "$ID")" running
  expect_eq "pid after the refused start" "$(state_of "$ID" .pid)" "$p"
}

reg start-stopped runtime.md#start "Attempting to start a container that is not created MUST have no effect on the container and MUST generate an error."
t_start_stopped() {
  mkb; create_only 'echo x >> /count'
  R start "$ID" || fail "start failed: $(said)"
  wait_status "$ID" stopped 5 || fail "container did not stop"
  R start "$ID" && fail "start of a stopped container exited 0"
  sleep 0.3
  expect_eq "times the program ran" "$(wc -l < "$B/rootfs/count")" 1
  expect_eq "status after the refused start" "$(status_of "$ID")" stopped
}

reg start-no-process runtime.md#start "This operation MUST generate an error if process was not set."
t_start_no_process() {
  mkb; cfg 'del(.process)'
  ID=$(new_id)
  R create -b "$B" "$ID" || return 0   # refusing at create is an error too
  R start "$ID" && fail "create and start without process both exited 0"
  return 0
}

reg kill-no-id runtime.md#kill "This operation MUST generate an error if it is not provided the container ID."
t_kill_no_id() {
  R kill && fail "kill without an id exited 0"
  return 0
}

reg kill-unknown-id runtime.md#kill "Attempting to send a signal to a container that is neither created nor running MUST have no effect on the container and MUST generate an error."
t_kill_unknown_id() {
  R kill "cf$RUN_ID-nosuch" KILL && fail "kill of an unknown id exited 0"
  return 0
}

reg kill-stopped runtime.md#kill "Attempting to send a signal to a container that is neither created nor running MUST have no effect on the container and MUST generate an error."
t_kill_stopped() {
  mkb; start_bg 'exit 0'
  wait_status "$ID" stopped 5 || fail "container did not stop"
  R kill "$ID" KILL && fail "kill of a stopped container exited 0"
  expect_eq "status after the refused kill" "$(status_of "$ID")" stopped
}

reg kill-created runtime.md#kill "This operation MUST send the specified signal to the container process."
t_kill_created() {
  mkb; create_only 'echo ran > /ran'
  R kill "$ID" KILL || fail "kill KILL of a created container failed: $(said)"
  wait_status "$ID" stopped 5 || fail "status is '$(status_of "$ID")' after SIGKILL of a created container, want stopped"
  [[ -e $B/rootfs/ran ]] && fail "the user program ran after kill of a created container"
  return 0
}

reg kill-running-signal runtime.md#kill "This operation MUST send the specified signal to the container process."
t_kill_running_signal() {
  mkb; start_bg 'trap "echo usr1 > /sig; exit 0" USR1; touch /ready; while :; do sleep 0.05; done'
  wait_for 5 test -e "$B/rootfs/ready" || fail "container not ready"
  R kill "$ID" USR1 || fail "kill USR1 failed: $(said)"
  wait_for 5 test -s "$B/rootfs/sig" || fail "the container process did not receive SIGUSR1"
}

reg kill-running-signal-number runtime.md#kill "This operation MUST send the specified signal to the container process."
t_kill_running_signal_number() {
  mkb; start_bg 'trap "echo usr2 > /sig; exit 0" USR2; touch /ready; while :; do sleep 0.05; done'
  wait_for 5 test -e "$B/rootfs/ready" || fail "container not ready"
  R kill "$ID" 12 || fail "kill 12 failed: $(said)"
  wait_for 5 test -s "$B/rootfs/sig" || fail "the container process did not receive signal 12 (SIGUSR2)"
}

reg kill-running-term runtime.md#kill "This operation MUST send the specified signal to the container process."
t_kill_running_term() {
  mkb; start_bg 'trap "echo term > /sig; exit 0" TERM; touch /ready; while :; do sleep 0.05; done'
  wait_for 5 test -e "$B/rootfs/ready" || fail "container not ready"
  R kill "$ID" TERM || fail "kill TERM failed: $(said)"
  wait_for 5 test -s "$B/rootfs/sig" || fail "the container process did not receive SIGTERM"
  wait_status "$ID" stopped 5 || fail "container did not stop after handling SIGTERM"
}

reg delete-no-id runtime.md#delete "This operation MUST generate an error if it is not provided the container ID."
t_delete_no_id() {
  R delete && fail "delete without an id exited 0"
  return 0
}

reg delete-unknown-id runtime.md#delete "Attempting to delete a container that is not stopped MUST have no effect on the container and MUST generate an error."
t_delete_unknown_id() {
  R delete "cf$RUN_ID-nosuch" && fail "delete of an unknown id exited 0"
  return 0
}

reg delete-running runtime.md#delete "Attempting to delete a container that is not stopped MUST have no effect on the container and MUST generate an error."
t_delete_running() {
  mkb; start_bg 'sleep 100'
  R delete "$ID" && fail "delete of a running container exited 0"
  expect_eq "status after the refused delete" "$(status_of "$ID")" running
  kill -0 "$PID" 2>/dev/null || fail "the container process $PID is gone after the refused delete"
}

reg delete-created runtime.md#delete "Attempting to delete a container that is not stopped MUST have no effect on the container and MUST generate an error. [runc-compatible: delete of a created container succeeds and removes it; this case expects that]"
t_delete_created() {
  mkb; create_only 'echo ran > /ran'
  R delete "$ID" || fail "delete of a created container failed (runc deletes it): $(said)"
  R state "$ID" && fail "state still succeeds after delete"
  wait_for 5 _gone "$PID" || fail "the container process $PID is still alive after delete"
  [[ -e $B/rootfs/ran ]] && fail "the user program ran"
  return 0
}
_gone() { [[ ! -d /proc/$1 ]] || grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null; }

reg delete-stopped runtime.md#delete "Deleting a container MUST delete the resources that were created during the create step."
t_delete_stopped() {
  mkb; start_bg 'exit 0'
  wait_status "$ID" stopped 5 || fail "container did not stop"
  R delete "$ID" || fail "delete of a stopped container failed: $(said)"
  R state "$ID" && fail "state still succeeds after delete: $(said)"
  return 0
}

reg delete-id-reusable runtime.md#delete "Once a container is deleted its ID MAY be used by a subsequent container. [runtime.md#create: This operation MUST create a new container.]"
t_delete_id_reusable() {
  mkb; run_sh 'exit 0' || fail "run failed: $(said)"
  R state "$ID" && { R delete "$ID" || fail "delete failed: $(said)"; }
  R run -b "$B" "$ID" || fail "a second run with the id of a deleted container failed: $(said)"
}

reg delete-keeps-bundle runtime.md#delete "Note that resources associated with the container, but not created by this container, MUST NOT be deleted."
t_delete_keeps_bundle() {
  mkb; start_bg 'exit 0'
  wait_status "$ID" stopped 5 || fail "container did not stop"
  R delete "$ID" || fail "delete failed: $(said)"
  [[ -f $B/config.json && -x $B/rootfs/bin/busybox ]] || fail "delete removed the bundle"
}

reg delete-keeps-bind-source runtime.md#delete "Note that resources associated with the container, but not created by this container, MUST NOT be deleted."
t_delete_keeps_bind_source() {
  mkb; mkdir -p "$CASE_DIR/vol"; echo keep > "$CASE_DIR/vol/file"
  add_mount /vol none "$CASE_DIR/vol" rbind rw
  start_bg 'echo new > /vol/new'
  wait_status "$ID" stopped 5 || fail "container did not stop"
  R delete "$ID" || fail "delete failed: $(said)"
  [[ $(cat "$CASE_DIR/vol/file" 2>/dev/null) == keep && -f $CASE_DIR/vol/new ]] || fail "delete removed files of the bind-mount source"
}

reg delete-keeps-joined-netns runtime.md#delete "Note that resources associated with the container, but not created by this container, MUST NOT be deleted."
t_delete_keeps_joined_netns() {
  local n; n=$(new_netns) || skip "ip netns add failed"
  local before; before=$(stat -L -c %i "/var/run/netns/$n")
  mkb; ns_set network "/var/run/netns/$n"
  start_bg 'exit 0'
  wait_status "$ID" stopped 5 || fail "container did not stop"
  R delete "$ID" || fail "delete failed: $(said)"
  [[ -e /var/run/netns/$n ]] || fail "delete removed /var/run/netns/$n"
  expect_eq "inode of /var/run/netns/$n after delete" "$(stat -L -c %i "/var/run/netns/$n")" "$before"
  ip netns exec "$n" true || fail "the joined network namespace is no longer usable"
}

reg scope-operations runtime.md#scope-of-a-container "The entity using a runtime to create a container MUST be able to use the operations defined in this specification against that same container."
t_scope_operations() {
  mkb; create_only 'sleep 100'
  R state "$ID" || fail "state: $(said)"
  R start "$ID" || fail "start: $(said)"
  R state "$ID" || fail "state: $(said)"
  R kill "$ID" KILL || fail "kill: $(said)"
  wait_status "$ID" stopped 5 || fail "not stopped after kill"
  R delete "$ID" || fail "delete: $(said)"
}
