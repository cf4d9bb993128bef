using System.Runtime.Versioning;
using Runcs.Cli;
using Runcs.Native;

namespace OciRuntime.Tests.Unit.Runtime;

/// <summary>`update`'s number flags, as runc parses them (docker/go-units RAMInBytes: binary multiples).</summary>
[SupportedOSPlatform("linux")]
public class UnitParserTests
{
    [Theory]
    [InlineData("-1", -1L)]
    [InlineData(" -1 ", -1L)]
    [InlineData("0", 0L)]
    [InlineData("1024", 1024L)]
    [InlineData("5b", 5L)]
    [InlineData("5B", 5L)]
    [InlineData("10k", 10240L)]
    [InlineData("10K", 10240L)]
    [InlineData("10kb", 10240L)]
    [InlineData("100m", 104857600L)]
    [InlineData("100M", 104857600L)]
    [InlineData("100MB", 104857600L)]
    [InlineData("100mB", 104857600L)]
    [InlineData("1g", 1073741824L)]
    [InlineData("1.5g", 1610612736L)]
    [InlineData("1.5G", 1610612736L)]
    [InlineData("0.5k", 512L)]
    [InlineData("1t", 1099511627776L)]
    [InlineData("1TB", 1099511627776L)]
    [InlineData("1p", 1125899906842624L)]
    [InlineData("2PB", 2251799813685248L)]
    [InlineData("1 m", 1048576L)]
    [InlineData("1.9", 1L)] // truncated, like go-units' int64(size)
    public void RamInBytes(string text, long bytes)
    {
        Assert.Equal(bytes, UnitParser.RamInBytes(text, "memory"));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("b")]
    [InlineData("m")]
    [InlineData("mb")]
    [InlineData("abc")]
    [InlineData("10x")]
    [InlineData("10 xb")]
    [InlineData("-2")]
    [InlineData("-1m")]
    [InlineData("-0.5g")]
    [InlineData("10bb")]
    [InlineData("1,5g")]
    [InlineData("10e")]
    public void RamInBytesBadValueNamesTheFlag(string text)
    {
        var e = Assert.Throws<RuncsException>(() => UnitParser.RamInBytes(text, "memory-swap"));
        Assert.Contains("--memory-swap", e.Message);
        Assert.Contains($"\"{text}\"", e.Message);
    }

    [Theory]
    [InlineData("100MiB", 104857600L)]
    [InlineData("1gib", 1073741824L)]
    [InlineData("10KiB", 10240L)]
    public void RamInBytesAcceptsIbSuffixes(string text, long bytes)
    {
        Assert.Equal(bytes, UnitParser.RamInBytes(text, "memory"));
    }

    [Theory]
    [InlineData("nan")]
    [InlineData("NaN")]
    [InlineData("infinity")]
    [InlineData("-infinity")]
    [InlineData("Infinityg")]
    public void RamInBytesRejectsNanAndInfinity(string text)
    {
        Assert.Throws<RuncsException>(() => UnitParser.RamInBytes(text, "memory"));
    }

    [Theory]
    [InlineData("0", 0UL)]
    [InlineData("1024", 1024UL)]
    [InlineData("18446744073709551615", ulong.MaxValue)]
    public void Unsigned(string text, ulong value)
    {
        Assert.Equal(value, UnitParser.Unsigned(text, "cpu-share"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("-1")]
    [InlineData("+1")]
    [InlineData(" 1")]
    [InlineData("1 ")]
    [InlineData("1k")]
    [InlineData("1.5")]
    [InlineData("abc")]
    [InlineData("18446744073709551616")]
    public void UnsignedBadValueNamesTheFlag(string text)
    {
        var e = Assert.Throws<RuncsException>(() => UnitParser.Unsigned(text, "cpu-period"));
        Assert.Contains("--cpu-period", e.Message);
        Assert.Contains($"\"{text}\"", e.Message);
    }

    [Theory]
    [InlineData("0", 0L)]
    [InlineData("-1", -1L)]
    [InlineData("+5", 5L)]
    [InlineData("50000", 50000L)]
    [InlineData("-9223372036854775808", long.MinValue)]
    [InlineData("9223372036854775807", long.MaxValue)]
    public void Signed(string text, long value)
    {
        Assert.Equal(value, UnitParser.Signed(text, "cpu-quota"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("--1")]
    [InlineData(" 1")]
    [InlineData("1.0")]
    [InlineData("1e3")]
    [InlineData("max")]
    [InlineData("9223372036854775808")]
    public void SignedBadValueNamesTheFlag(string text)
    {
        var e = Assert.Throws<RuncsException>(() => UnitParser.Signed(text, "cpu-rt-runtime"));
        Assert.Contains("--cpu-rt-runtime", e.Message);
        Assert.Contains($"\"{text}\"", e.Message);
    }
}
