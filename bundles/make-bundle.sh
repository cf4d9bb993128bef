#!/bin/bash
# Makes an OCI bundle at DIR: a busybox rootfs (from Debian's busybox-static)
# and the config.json that `runcs spec` writes, with "sh" as the process.
# Usage: bundles/make-bundle.sh DIR [ARGS...]   (ARGS default: sh)
set -euo pipefail
dir=${1:?usage: make-bundle.sh DIR [ARGS...]}
shift || true
busybox=$(command -v busybox || true)
if [[ -z "$busybox" ]] || ! file -L "$busybox" 2>/dev/null | grep -q "statically linked"; then
  busybox=/bin/busybox
fi
mkdir -p "$dir/rootfs"/{bin,sbin,etc,proc,sys,dev,tmp,root,usr/bin,usr/sbin,var}
cp -f "$busybox" "$dir/rootfs/bin/busybox"
# One link per applet, as `busybox --install` would make them, without running it in the rootfs.
for applet in $("$busybox" --list); do
  [[ -e "$dir/rootfs/bin/$applet" ]] || ln -s busybox "$dir/rootfs/bin/$applet"
done
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' > "$dir/rootfs/etc/passwd"
printf 'root:x:0:\nnobody:x:65534:\n' > "$dir/rootfs/etc/group"
chmod 1777 "$dir/rootfs/tmp"
if [[ ! -f "$dir/config.json" ]]; then
  runtime=${RUNTIME_FOR_SPEC:-$(cd "$(dirname "$0")/.." && pwd)/bin/runcs}
  (cd "$dir" && "$runtime" spec)
  if [[ $# -gt 0 ]]; then
    args=$(printf '%s\n' "$@" | jq -R . | jq -s -c .)
    jq --argjson a "$args" '.process.args = $a | .process.terminal = false' "$dir/config.json" > "$dir/config.json.tmp"
  else
    jq '.process.terminal = false' "$dir/config.json" > "$dir/config.json.tmp"
  fi
  mv "$dir/config.json.tmp" "$dir/config.json"
fi
