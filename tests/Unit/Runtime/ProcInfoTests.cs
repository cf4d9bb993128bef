using System.Runtime.Versioning;
using Runcs.Container;

namespace OciRuntime.Tests.Unit.Runtime;

[SupportedOSPlatform("linux")]
public class ProcInfoTests
{
    // Fields 3..52 after the command name: state, ppid, pgrp, session, tty_nr, tpgid, flags, minflt, cminflt,
    // majflt, cmajflt, utime, stime, cutime, cstime, priority, nice, num_threads, itrealvalue, starttime (22), ...
    private static string Stat(string comm, char state, ulong start) =>
        $"4242 ({comm}) {state} 1 4242 4242 0 -1 4194560 512 0 0 0 3 1 0 0 20 0 1 0 {start} 2400256 120 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 3 0 0 0 0 0 0 0 0 0 0 0 0 0\n";

    [Fact]
    public void Simple()
    {
        Assert.Equal(('S', 123456UL), ProcInfo.ParseStat(Stat("sleep", 'S', 123456)));
        Assert.Equal(('R', 0UL), ProcInfo.ParseStat(Stat("runcs", 'R', 0)));
    }

    [Theory]
    [InlineData("my program")]
    [InlineData("a) R 1 2 3")]
    [InlineData(")")]
    [InlineData("))")]
    [InlineData("(sd-pam)")]
    [InlineData("x) Z 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 99 (")]
    [InlineData("")]
    public void CommandNameWithSpacesAndParens(string comm) =>
        Assert.Equal(('S', 987654321UL), ProcInfo.ParseStat(Stat(comm, 'S', 987654321)));

    [Theory]
    [InlineData('Z')]
    [InlineData('X')]
    [InlineData('D')]
    [InlineData('T')]
    [InlineData('t')]
    [InlineData('I')]
    public void States(char state) => Assert.Equal(state, ProcInfo.ParseStat(Stat("init", state, 5))!.Value.State);

    [Fact]
    public void LargeStartTime() =>
        Assert.Equal(ulong.MaxValue, ProcInfo.ParseStat(Stat("x", 'S', ulong.MaxValue))!.Value.StartTime);

    [Fact]
    public void WithoutTrailingNewline() =>
        Assert.Equal(('S', 77UL), ProcInfo.ParseStat(Stat("x", 'S', 77).TrimEnd('\n')));

    [Fact]
    public void OnlyUpToStartTime() =>
        Assert.Equal(('R', 31UL), ProcInfo.ParseStat("1 (x) R 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 31"));

    [Theory]
    [InlineData("")]
    [InlineData("4242")]
    [InlineData("4242 (x")]
    [InlineData("4242 (x)")]
    [InlineData("4242 (x) ")]
    [InlineData("4242 (x) S 1 2 3")]
    [InlineData("1 (x) R 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0")]
    [InlineData("1 (x) R 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 notanumber 5")]
    [InlineData("1 (x) R 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 -5 5")]
    [InlineData("1 (x)  R 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 31")]
    public void Malformed(string text) => Assert.Null(ProcInfo.ParseStat(text));

    [Fact]
    public void OwnProcess()
    {
        // Reading our own /proc/self/stat needs no privilege.
        var st = ProcInfo.ParseStat(File.ReadAllText("/proc/self/stat"));
        Assert.NotNull(st);
        Assert.True("RS".Contains(st.Value.State), $"state {st.Value.State}");
        Assert.True(st.Value.StartTime > 0);
        var byPid = ProcInfo.Stat(Environment.ProcessId);
        Assert.Equal(st.Value.StartTime, byPid!.Value.StartTime);
        Assert.True(ProcInfo.IsAlive(Environment.ProcessId, st.Value.StartTime));
        Assert.False(ProcInfo.IsAlive(Environment.ProcessId, st.Value.StartTime + 1));
        Assert.False(ProcInfo.IsAlive(0, st.Value.StartTime));
        Assert.False(ProcInfo.IsAlive(-1, st.Value.StartTime));
    }
}
