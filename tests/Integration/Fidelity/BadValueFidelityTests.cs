using System.Text.Json.Nodes;
using OciRuntime.Tests.Integration.Support;
using static OciRuntime.Tests.Integration.Fidelity.FidelityKit;

namespace OciRuntime.Tests.Integration.Fidelity;

/// <summary>
/// A bad value in config.json: create exits 1 with one stderr line that names the value, and
/// leaves no state directory, no cgroup and no process.
/// </summary>
[Trait("Category", "Integration")]
public sealed class BadValueFidelityTests : IClassFixture<Runcs>
{
    private readonly Runcs _rt;

    public BadValueFidelityTests(Runcs rt) => _rt = rt;

    private static void Edit(string name, JsonObject c)
    {
        var linux = c["linux"]!.AsObject();
        var process = c["process"]!.AsObject();
        JsonObject Seccomp(JsonObject rule) => new()
        {
            ["defaultAction"] = "SCMP_ACT_ALLOW",
            ["syscalls"] = new JsonArray(rule),
        };
        switch (name)
        {
            case "capability":
                process["capabilities"]!["bounding"]!.AsArray().Add("CAP_FID_BOGUS");
                break;
            case "rlimit":
                process["rlimits"]!.AsArray().Add(new JsonObject { ["type"] = "RLIMIT_FID_BOGUS", ["soft"] = 1, ["hard"] = 1 });
                break;
            case "rlimit-soft-above-hard":
                process["rlimits"] = new JsonArray(new JsonObject { ["type"] = "RLIMIT_NOFILE", ["soft"] = 200, ["hard"] = 100 });
                break;
            case "seccomp-default-action":
                linux["seccomp"] = new JsonObject { ["defaultAction"] = "SCMP_ACT_FID_BOGUS" };
                break;
            case "seccomp-rule-action":
                linux["seccomp"] = Seccomp(new JsonObject { ["names"] = Strings("mkdir"), ["action"] = "SCMP_ACT_FID_BOGUS" });
                break;
            case "seccomp-arch":
                linux["seccomp"] = new JsonObject { ["defaultAction"] = "SCMP_ACT_ALLOW", ["architectures"] = Strings("SCMP_ARCH_FID_BOGUS") };
                break;
            case "seccomp-operator":
                linux["seccomp"] = Seccomp(new JsonObject
                {
                    ["names"] = Strings("kill"), ["action"] = "SCMP_ACT_ERRNO",
                    ["args"] = new JsonArray(new JsonObject { ["index"] = 1, ["value"] = 0, ["op"] = "SCMP_CMP_FID_BOGUS" }),
                });
                break;
            case "seccomp-flag":
                linux["seccomp"] = new JsonObject { ["defaultAction"] = "SCMP_ACT_ALLOW", ["flags"] = Strings("SECCOMP_FILTER_FLAG_FID_BOGUS") };
                break;
            case "sysctl-kernel-hostname":
                linux["sysctl"] = new JsonObject { ["kernel.hostname"] = "fid" };
                break;
            case "mount-type":
                c["mounts"]!.AsArray().Add(Mount("/fid-bogus-dest", "fidbogusfs", "none"));
                break;
            case "sysctl-kernel-foo":
                linux["sysctl"] = new JsonObject { ["kernel.foo"] = "1" };
                break;
            case "sysctl-net-without-netns":
                linux["sysctl"] = new JsonObject { ["net.ipv4.ip_forward"] = "1" };
                RemoveNamespace(linux, "network");
                break;
            case "sysctl-ipc-without-ipcns":
                linux["sysctl"] = new JsonObject { ["kernel.shmmax"] = "123456789" };
                RemoveNamespace(linux, "ipc");
                break;
            case "device-type":
                linux["devices"] = new JsonArray(new JsonObject { ["path"] = "/dev/fidbad", ["type"] = "x", ["major"] = 1, ["minor"] = 3 });
                break;
            case "idmap-tmpfs":
                c["mounts"]!.AsArray().Add(Mount("/fid-idmap-tmpfs", "tmpfs", "tmpfs", "idmap"));
                break;
            case "idmap-without-mappings":
                c["mounts"]!.AsArray().Add(Mount("/fid-idmap-nomap", "bind", "/tmp", "bind", "idmap"));
                break;
            case "idmap-uid-only":
                var m = Mount("/fid-idmap-uidonly", "bind", "/tmp", "bind");
                m["uidMappings"] = new JsonArray(new JsonObject { ["containerID"] = 0, ["hostID"] = 100000, ["size"] = 1 });
                c["mounts"]!.AsArray().Add(m);
                break;
            default:
                throw new ArgumentException(name);
        }
    }

    private static void RemoveNamespace(JsonObject linux, string type)
    {
        var ns = linux["namespaces"]!.AsArray();
        foreach (var n in ns.Where(n => n?["type"]?.GetValue<string>() == type).ToList()) ns.Remove(n);
    }

    [Theory]
    [InlineData("capability", "CAP_FID_BOGUS")]
    [InlineData("rlimit", "RLIMIT_FID_BOGUS")]
    [InlineData("rlimit-soft-above-hard", "rlimits[0]")]
    [InlineData("seccomp-default-action", "SCMP_ACT_FID_BOGUS")]
    [InlineData("seccomp-rule-action", "SCMP_ACT_FID_BOGUS")]
    [InlineData("seccomp-arch", "SCMP_ARCH_FID_BOGUS")]
    [InlineData("seccomp-operator", "SCMP_CMP_FID_BOGUS")]
    [InlineData("seccomp-flag", "SECCOMP_FILTER_FLAG_FID_BOGUS")]
    [InlineData("sysctl-kernel-hostname", "kernel.hostname")]
    [InlineData("mount-type", "/fid-bogus-dest")]
    [InlineData("sysctl-kernel-foo", "kernel.foo")]
    [InlineData("sysctl-net-without-netns", "net.ipv4.ip_forward")]
    [InlineData("sysctl-ipc-without-ipcns", "kernel.shmmax")]
    [InlineData("device-type", "devices[0].type")]
    [InlineData("idmap-tmpfs", "/fid-idmap-tmpfs")]
    [InlineData("idmap-without-mappings", "/fid-idmap-nomap")]
    [InlineData("idmap-uid-only", "/fid-idmap-uidonly")]
    public void BadValue_CreateFails_OneLineNamingIt_NothingLeft(string name, string mustName)
    {
        using var b = Bundle.Create("true");
        b.EditConfig(c => Edit(name, c));
        var id = _rt.NewId("bad");

        var r = _rt.Run("create", "--bundle", b.Dir, id);

        r.FailsWithOneLine(mustName);
        Assert.False(Directory.Exists(Path.Combine(_rt.Root, id)), "state dir left behind: " + r);
        Assert.Null(_rt.Status(id));
        Assert.False(CgroupLeft(id), "cgroup left behind");
        Assert.Empty(ProcessesMentioning(id));
    }

    /// <summary>
    /// A capability the host cannot grant (this machine lacks CAP_SYS_RESOURCE): create fails
    /// naming it, as runc's "unable to apply caps" — not a container that dies after start.
    /// </summary>
    [Fact]
    public void UngrantableCapability_CreateFails_NamingIt_NothingLeft()
    {
        var capBnd = File.ReadLines("/proc/self/status").Single(l => l.StartsWith("CapBnd:"));
        if ((Convert.ToUInt64(capBnd.Split(':')[1].Trim(), 16) & (1UL << 24)) != 0) return; // the host grants it
        using var b = Bundle.Create("true");
        b.EditConfig(c =>
        {
            foreach (var set in new[] { "bounding", "permitted", "effective" })
                c["process"]!["capabilities"]![set]!.AsArray().Add("CAP_SYS_RESOURCE");
        });
        var id = _rt.NewId("capgrant");

        var r = _rt.Run("create", "--bundle", b.Dir, id);

        r.FailsWithOneLine("CAP_SYS_RESOURCE");
        Assert.False(Directory.Exists(Path.Combine(_rt.Root, id)), "state dir left behind: " + r);
        Assert.False(CgroupLeft(id), "cgroup left behind");
        Assert.Empty(ProcessesMentioning(id));
    }

    /// <summary>The message is for people: no .NET exception type names in it.</summary>
    [Theory]
    [InlineData("seccomp-default-action")]
    [InlineData("seccomp-rule-action")]
    [InlineData("seccomp-arch")]
    [InlineData("seccomp-operator")]
    [InlineData("seccomp-flag")]
    public void BadSeccompValue_MessageIsAPlainValidationError(string name)
    {
        using var b = Bundle.Create("true");
        b.EditConfig(c => Edit(name, c));
        var id = _rt.NewId("badsec");

        var line = _rt.Run("create", "--bundle", b.Dir, id).FailsWithOneLine("linux.seccomp");

        Assert.DoesNotContain("Exception", line);
        Assert.DoesNotContain("unable to start container process", line);
    }
}
