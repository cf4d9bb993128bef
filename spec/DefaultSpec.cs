namespace OciRuntime.Spec;

/// <summary>The example config written by the <c>spec</c> command (same content as runc 1.1.5's).</summary>
public static class DefaultSpec
{
    /// <summary>
    /// Builds the default config. With <paramref name="rootless"/> the result matches
    /// <c>runc spec --rootless</c>: no network namespace, a user namespace mapping
    /// container root to <paramref name="hostUid"/>/<paramref name="hostGid"/> (the caller
    /// passes its geteuid()/getegid(); this library does no system calls), /sys bind-mounted,
    /// no gid=5 on devpts and no linux.resources. Each call returns a new object.
    /// </summary>
    public static Spec Create(bool rootless, uint hostUid = 0, uint hostGid = 0)
    {
        List<string> Caps() => ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"];

        var spec = new Spec
        {
            OciVersion = SpecVersion.Default,
            Process = new Process
            {
                Terminal = true,
                User = new User { Uid = 0, Gid = 0 },
                Args = ["sh"],
                Env =
                [
                    "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                    "TERM=xterm",
                ],
                Cwd = "/",
                Capabilities = new LinuxCapabilities
                {
                    Bounding = Caps(),
                    Effective = Caps(),
                    Permitted = Caps(),
                    Ambient = Caps(),
                },
                Rlimits = [new POSIXRlimit { Type = "RLIMIT_NOFILE", Hard = 1024, Soft = 1024 }],
                NoNewPrivileges = true,
            },
            Root = new Root { Path = "rootfs", Readonly = true },
            Hostname = "runc",
            Mounts =
            [
                new Mount { Destination = "/proc", Type = "proc", Source = "proc" },
                new Mount
                {
                    Destination = "/dev", Type = "tmpfs", Source = "tmpfs",
                    Options = ["nosuid", "strictatime", "mode=755", "size=65536k"],
                },
                new Mount
                {
                    Destination = "/dev/pts", Type = "devpts", Source = "devpts",
                    Options = rootless
                        ? ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"]
                        : ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"],
                },
                new Mount
                {
                    Destination = "/dev/shm", Type = "tmpfs", Source = "shm",
                    Options = ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"],
                },
                new Mount
                {
                    Destination = "/dev/mqueue", Type = "mqueue", Source = "mqueue",
                    Options = ["nosuid", "noexec", "nodev"],
                },
                rootless
                    ? new Mount
                    {
                        Destination = "/sys", Type = "none", Source = "/sys",
                        Options = ["rbind", "nosuid", "noexec", "nodev", "ro"],
                    }
                    : new Mount
                    {
                        Destination = "/sys", Type = "sysfs", Source = "sysfs",
                        Options = ["nosuid", "noexec", "nodev", "ro"],
                    },
                new Mount
                {
                    Destination = "/sys/fs/cgroup", Type = "cgroup", Source = "cgroup",
                    Options = ["nosuid", "noexec", "nodev", "relatime", "ro"],
                },
            ],
            Linux = new Linux
            {
                MaskedPaths =
                [
                    "/proc/acpi",
                    "/proc/asound",
                    "/proc/kcore",
                    "/proc/keys",
                    "/proc/latency_stats",
                    "/proc/timer_list",
                    "/proc/timer_stats",
                    "/proc/sched_debug",
                    "/sys/firmware",
                    "/proc/scsi",
                ],
                ReadonlyPaths =
                [
                    "/proc/bus",
                    "/proc/fs",
                    "/proc/irq",
                    "/proc/sys",
                    "/proc/sysrq-trigger",
                ],
            },
        };

        if (rootless)
        {
            spec.Linux.UidMappings = [new LinuxIDMapping { ContainerId = 0, HostId = hostUid, Size = 1 }];
            spec.Linux.GidMappings = [new LinuxIDMapping { ContainerId = 0, HostId = hostGid, Size = 1 }];
            spec.Linux.Namespaces =
            [
                new LinuxNamespace { Type = NamespaceTypes.Pid },
                new LinuxNamespace { Type = NamespaceTypes.Ipc },
                new LinuxNamespace { Type = NamespaceTypes.Uts },
                new LinuxNamespace { Type = NamespaceTypes.Mount },
                new LinuxNamespace { Type = NamespaceTypes.User },
            ];
        }
        else
        {
            spec.Linux.Resources = new LinuxResources
            {
                Devices = [new LinuxDeviceCgroup { Allow = false, Access = "rwm" }],
            };
            spec.Linux.Namespaces =
            [
                new LinuxNamespace { Type = NamespaceTypes.Pid },
                new LinuxNamespace { Type = NamespaceTypes.Network },
                new LinuxNamespace { Type = NamespaceTypes.Ipc },
                new LinuxNamespace { Type = NamespaceTypes.Uts },
                new LinuxNamespace { Type = NamespaceTypes.Mount },
            ];
        }

        return spec;
    }
}
