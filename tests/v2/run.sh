#!/bin/bash
# The cgroup v2 lane: boots Debian's kernel under QEMU (software emulation is enough)
# with cgroup_no_v1=all, so the only cgroup hierarchy is the unified one, and runs
# tests/v2/inside.sh there against a real runcs: containers, resources, freeze,
# update, ps, delete, the exec namespace promise.
#
# Usage: tests/v2/run.sh [RUNCS_BINARY]     (default: bin/runcs of this tree)
#        tests/v2/run.sh --deps              only install what the lane needs (.ci/deps calls it)
# Env:   V2_TIMEOUT  seconds the VM may run (default 300)
#        V2_KEEP=1   keep the work dir (initramfs tree, serial log)
#        V2_ONLY     space-separated case names to run (default: all)
#        V2_ACCEL=kvm  use KVM instead of software emulation
#        V2_APPEND   more kernel parameters
#        V2_CACHE    where the unpacked kernel is kept (default /var/tmp/runcs-v2)
# Prints the V2TEST lines of the VM, then exactly "N passed, M failed, K skipped".
# Exit status: 0 only when the VM ran every case, none failed, and it printed its summary.
# Nothing on this machine's own cgroups or mounts is touched: all of it happens in the VM.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
start=$SECONDS

kernel() { ls /boot/vmlinuz-6.1* 2>/dev/null | sort -V | tail -1; }

# --- what this lane needs from Debian: installed only when absent ---------------------
need=()
command -v qemu-system-x86_64 >/dev/null || need+=(qemu-system-x86)
[[ -n $(kernel) ]] || need+=(linux-image-amd64)
{ [[ -x /bin/busybox ]] && file -L /bin/busybox 2>/dev/null | grep -q "statically linked"; } || need+=(busybox-static)
command -v cpio >/dev/null || need+=(cpio)
command -v jq >/dev/null || need+=(jq)
command -v file >/dev/null || need+=(file)
command -v xz >/dev/null || need+=(xz-utils)
command -v readelf >/dev/null || need+=(binutils)
[[ -e /usr/lib/x86_64-linux-gnu/libseccomp.so.2 ]] || need+=(libseccomp2)
if (( ${#need[@]} )); then
  echo "v2: installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq -o DPkg::Lock::Timeout=300
  # Recommends are not needed (no GUI, no firmware); linux-image-amd64 may build an
  # initrd for this machine's /boot: harmless, this lane never boots the host.
  apt-get install -y -qq -o DPkg::Lock::Timeout=300 --no-install-recommends "${need[@]}" >/dev/null
fi
[[ ${1:-} == --deps ]] && exit 0
runcs=$(readlink -f "${1:-$repo/bin/runcs}")
[[ -x $runcs ]] || { echo "v2: no runcs binary at $runcs (make build)" >&2; exit 2; }
vmlinuz=$(kernel)
[[ -r $vmlinuz ]] || { echo "v2: no readable /boot/vmlinuz-6.1*" >&2; exit 2; }
kver=${vmlinuz#/boot/vmlinuz-}
# The bzImage spends ~4 s of emulated time unpacking its XZ payload: boot the ELF inside
# it instead (QEMU enters it through its PVH note), unpacked once and kept in a cache.
cache=${V2_CACHE:-/var/tmp/runcs-v2}
boot_kernel=$cache/vmlinux-$kver
if [[ ! -s $boot_kernel || $boot_kernel -ot $vmlinuz ]]; then
  mkdir -p "$cache"
  off=$(LC_ALL=C grep -obUaP '\xfd7zXZ\x00' "$vmlinuz" | head -1 | cut -d: -f1 || true)
  [[ -n $off ]] && { tail -c +$((off + 1)) "$vmlinuz" | xz -dcq > "$boot_kernel.tmp.$$" 2>/dev/null || true; }
  notes=$(LC_ALL=C readelf -n "$boot_kernel.tmp.$$" 2>/dev/null || true)
  if [[ $notes == *"(0x00000012)"* ]]; then   # XEN_ELFNOTE_PHYS32_ENTRY: the PVH entry point
    mv "$boot_kernel.tmp.$$" "$boot_kernel"
  else
    rm -f "$boot_kernel.tmp.$$"; boot_kernel=$vmlinuz   # no PVH-capable ELF inside: the slow way
  fi
fi

# --- the initramfs -------------------------------------------------------------------
work=$(mktemp -d /tmp/runcs-v2.XXXXXX)
cleanup() { [[ ${V2_KEEP:-} == 1 ]] && echo "v2: kept $work" >&2 || rm -rf "$work"; }
trap cleanup EXIT
t=$work/tree
mkdir -p "$t"/{bin,sbin,etc,proc,sys,dev,run,tmp,root,v2,bundles,usr/bin,usr/sbin}
chmod 1777 "$t/tmp"
cp /bin/busybox "$t/bin/busybox"
for a in $(/bin/busybox --list); do [[ -e $t/bin/$a ]] || ln -s busybox "$t/bin/$a"; done
install -m 0755 "$runcs" "$t/bin/runcs"
# the shared libraries runcs links (and the loader), at the paths ldd names
libs=$(ldd "$runcs" | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}')
for l in $libs /usr/lib/x86_64-linux-gnu/libseccomp.so.2; do
  mkdir -p "$t$(dirname "$l")"
  cp -L "$l" "$t$l"
done
printf 'root:x:0:0:root:/root:/bin/sh\n' > "$t/etc/passwd"
printf 'root:x:0:\n' > "$t/etc/group"
cp "$here/inside.sh" "$t/v2/inside.sh"
printf '%s\n' "${V2_ONLY:-}" > "$t/v2/only"

# the test bundles: one busybox rootfs, one config.json per case (root.path absolute)
RUNTIME_FOR_SPEC=$runcs "$repo/bundles/make-bundle.sh" "$work/base" sleep 1000 >/dev/null
mv "$work/base/rootfs" "$t/bundles/rootfs"
base=$work/base/config.json
cfg() { # cfg NAME JQ-FILTER [jq args...]: /bundles/NAME/config.json from the base config
  local name=$1 filter=$2; shift 2
  mkdir -p "$t/bundles/$name"
  jq "$@" '.root = {path: "/bundles/rootfs", readonly: false} | .process.terminal = false
           | .linux.namespaces += [{type: "cgroup"}] | '"$filter" "$base" > "$t/bundles/$name/config.json"
}
args() { printf '%s\n' "$@" | jq -R . | jq -s -c .; }
# limits checked from both sides; a nested cgroupsPath, so every ancestor must delegate
cfg res '.linux.cgroupsPath = "/v2test/res"
  | .linux.resources.memory = {limit: 52428800, swap: 83886080}
  | .linux.resources.cpu = {shares: 1024, quota: 50000, period: 100000, cpus: "1"}
  | .linux.resources.pids = {limit: 100}'
cfg io '.linux.cgroupsPath = "/v2test/io" | .linux.resources.blockIO = {weight: 500}'
cfg pids '.linux.cgroupsPath = "/v2test/pids" | .linux.resources.pids = {limit: 10}'
cfg oom '.linux.cgroupsPath = "/v2test/oom" | .linux.resources.memory = {limit: 20971520, swap: 20971520}
  | .process.args = $a' --argjson a "$(args sh -c 'head -c 5m /dev/zero | tail >/dev/null && echo small-ok; head -c 100m /dev/zero | tail >/dev/null; echo "big rc=$?"; exec sleep 1000')"
cfg oominit '.linux.cgroupsPath = "/v2test/oominit" | .linux.resources.memory = {limit: 20971520, swap: 20971520}
  | .process.args = ["tail", "/dev/zero"]'
cfg freeze '.process.args = $a' --argjson a "$(args sh -c 'i=0; while :; do i=$((i+1)); echo $i > /tmp/counter; sleep 0.1; done')"
cfg ns '.linux.namespaces = [{type: "pid"}, {type: "network"}, {type: "ipc"}, {type: "uts"}, {type: "mount"}, {type: "cgroup"}, {type: "user"}, {type: "time"}]
  | .linux.uidMappings = [{containerID: 0, hostID: 0, size: 65536}]
  | .linux.gidMappings = [{containerID: 0, hostID: 0, size: 65536}]'
cfg caller '.linux.resources.pids = {limit: 20}'
cfg caller2 '.linux.cgroupsPath = "/caller/callee2" | .linux.resources.pids = {limit: 20}'
cfg caller3 '.linux.cgroupsPath = "/caller/callee3" | .linux.resources.memory = {limit: 52428800}'
cfg cycle '.'
# device rules (an eBPF program on v2): CAP_MKNOD to make nodes inside; writes to c 1:11
# (/dev/kmsg: no read, no output) allowed; a deny for /dev/null that runc's always-allowed
# devices, applied after the config's rules, override
cfg devices '.process.capabilities |= (.bounding += ["CAP_MKNOD"] | .effective += ["CAP_MKNOD"] | .permitted += ["CAP_MKNOD"])
  | .linux.resources.devices += [{allow: false, type: "c", major: 1, minor: 3, access: "w"},
                                 {allow: true, type: "c", major: 1, minor: 11, access: "w"}]'

# stage 1 (/init, on the initramfs): pivot_root cannot leave the initial rootfs, so copy
# everything to a tmpfs and switch_root there; stage 2 (/v2/init2) mounts and tests.
cat > "$t/init" <<'INIT'
#!/bin/sh
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
mkdir -p /newroot
mount -t tmpfs -o mode=0755 tmpfs /newroot
for d in bin sbin etc lib lib64 usr root v2 bundles; do [ -e /$d ] && cp -a /$d /newroot/; done
mkdir -p /newroot/proc /newroot/sys /newroot/dev /newroot/run /newroot/tmp
chmod 1777 /newroot/tmp
cp /init /newroot/init
exec switch_root /newroot /v2/init2
INIT
cat > "$t/v2/init2" <<'INIT'
#!/bin/sh
export PATH=/bin:/sbin:/usr/bin:/usr/sbin HOME=/root
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
mount -t tmpfs tmpfs /run
mount -t tmpfs tmpfs /tmp
mount -t cgroup2 cgroup2 /sys/fs/cgroup
hostname runcs-v2
ip link set lo up 2>/dev/null
echo; echo "V2TEST info kernel $(uname -r) up $(cut -d' ' -f1 /proc/uptime) s, cgroup controllers: $(cat /sys/fs/cgroup/cgroup.controllers)"
sh /v2/inside.sh all $(cat /v2/only) </dev/null 2>&1
sync
poweroff -f
INIT
chmod 0755 "$t/init" "$t/v2/init2" "$t/v2/inside.sh"
# not compressed: the kernel would spend emulated time unpacking it
(cd "$t" && find . -print0 | cpio --null -o -H newc --quiet) > "$work/initramfs.cpio"
echo "v2: kernel $kver ($(basename "$boot_kernel")), initramfs $(du -h "$work/initramfs.cpio" | cut -f1), prepared in $((SECONDS - start)) s"

# --- boot ----------------------------------------------------------------------------
log=$work/serial.log
# Software emulation by default: /dev/kvm exists on this kind of machine but does not
# work (qemu aborts setting an MSR, or hangs). V2_ACCEL=kvm tries it where it does.
accel=(-accel tcg,thread=multi -cpu max)
[[ ${V2_ACCEL:-} == kvm ]] && accel=(-accel kvm -cpu host)
# norandmaps: QEMU reuses the code it translated for a page only at the same virtual
# address; with ASLR every runcs process is translated afresh (about 3x slower).
boot=$SECONDS
set +e
timeout --foreground -k 5 "${V2_TIMEOUT:-300}" qemu-system-x86_64 "${accel[@]}" -m 1024 -smp 2 \
  -nographic -no-reboot -no-user-config -nodefaults -serial stdio -monitor none \
  -kernel "$boot_kernel" -initrd "$work/initramfs.cpio" \
  -append "console=ttyS0 cgroup_no_v1=all panic=-1 quiet rdinit=/init norandmaps ${V2_APPEND:-}" </dev/null 2>&1 \
  | sed -u 's/\x1b\[[0-9;?]*[A-Za-z]//g; s/\x1b[a-z]//g; s/\r//g' | tee "$log" | grep --line-buffered -E '^V2TEST |Kernel panic|^runcs'
qrc=${PIPESTATUS[0]}
set -e
echo "v2: VM ran $((SECONDS - boot)) s (qemu exit $qrc)"

passed=$(grep -c '^V2TEST pass ' "$log" || true)
failed=$(grep -c '^V2TEST fail ' "$log" || true)
skipped=$(grep -c '^V2TEST skip ' "$log" || true)
summary=$(grep -E '^V2TEST summary ' "$log" | tail -1 || true)
status=0
if [[ -z $summary ]]; then
  echo "v2: no summary line from the VM (timeout or crash); last serial lines:"
  grep -v '^V2TEST ' "$log" | tail -25
  failed=$((failed + 1)); status=1
fi
(( failed == 0 )) || status=1
echo "v2: total $((SECONDS - start)) s"
if [[ $status != 0 && ${V2_KEEP:-} != 1 ]]; then cp "$log" /tmp/runcs-v2-serial.log && echo "v2: serial log kept at /tmp/runcs-v2-serial.log"; fi
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
