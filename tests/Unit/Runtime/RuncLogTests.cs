using System.Runtime.Versioning;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Runcs.Logging;

namespace OciRuntime.Tests.Unit.Runtime;

[SupportedOSPlatform("linux")]
public class RuncLogTests
{
    private static readonly DateTime T = new(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc);

    [Fact]
    public void JsonShape() =>
        Assert.Equal("{\"level\":\"error\",\"msg\":\"boom\",\"time\":\"2024-01-02T03:04:05Z\"}",
            RuncLog.Format(LogLevel.Error, "boom", T, asJson: true));

    [Fact]
    public void TextShape() =>
        Assert.Equal("time=\"2024-01-02T03:04:05Z\" level=error msg=\"boom\"",
            RuncLog.Format(LogLevel.Error, "boom", T, asJson: false));

    [Theory]
    [InlineData(LogLevel.Trace, "debug")]
    [InlineData(LogLevel.Debug, "debug")]
    [InlineData(LogLevel.Information, "info")]
    [InlineData(LogLevel.Warning, "warning")]
    [InlineData(LogLevel.Error, "error")]
    [InlineData(LogLevel.Critical, "fatal")]
    public void Levels(LogLevel level, string name)
    {
        using var doc = JsonDocument.Parse(RuncLog.Format(level, "m", T, true));
        Assert.Equal(name, doc.RootElement.GetProperty("level").GetString());
        Assert.Contains($" level={name} ", RuncLog.Format(level, "m", T, false));
    }

    [Fact]
    public void JsonHasExactlyLevelMsgTime()
    {
        using var doc = JsonDocument.Parse(RuncLog.Format(LogLevel.Warning, "x", T, true));
        Assert.Equal(new[] { "level", "msg", "time" }, doc.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.All(doc.RootElement.EnumerateObject(), p => Assert.Equal(JsonValueKind.String, p.Value.ValueKind));
    }

    [Theory]
    [InlineData("say \"hi\"")]
    [InlineData("line1\nline2\r\n")]
    [InlineData("back\\slash")]
    [InlineData("tab\there")]
    [InlineData("bell\u0007 nul\u0000 esc\u001b unit\u001f")]
    [InlineData("unicode é ✓ \U0001F600")]
    [InlineData("<html> & 'quotes'")]
    [InlineData("")]
    public void JsonEscapingRoundTrips(string message)
    {
        var line = RuncLog.Format(LogLevel.Error, message, T, true);
        Assert.DoesNotContain('\n', line);
        Assert.DoesNotContain('\r', line);
        Assert.True(line.All(c => c >= 0x20), "raw control character in " + line);
        using var doc = JsonDocument.Parse(line);
        Assert.Equal(message, doc.RootElement.GetProperty("msg").GetString());
    }

    [Fact]
    public void JsonEscapesExactly()
    {
        var line = RuncLog.Format(LogLevel.Error, "a\"b\\c\nd\re\tf\u0001g", T, true);
        Assert.Contains("\"msg\":\"a\\\"b\\\\c\\nd\\re\\tf\\u0001g\"", line);
    }

    [Fact]
    public void TextQuotesAndEscapesMessage()
    {
        var line = RuncLog.Format(LogLevel.Error, "container \"x\" failed:\nmount", T, false);
        Assert.Equal("time=\"2024-01-02T03:04:05Z\" level=error msg=\"container \\\"x\\\" failed:\\nmount\"", line);
    }

    [Fact]
    public void TimeIsRfc3339UtcSeconds()
    {
        var t = new DateTime(2023, 12, 31, 23, 59, 59, DateTimeKind.Utc).AddTicks(9_999_999);
        using var doc = JsonDocument.Parse(RuncLog.Format(LogLevel.Error, "m", t, true));
        var time = doc.RootElement.GetProperty("time").GetString()!;
        Assert.Equal("2023-12-31T23:59:59Z", time);
        Assert.Matches(new Regex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$"), time);
        Assert.Equal(DateTime.Parse(time, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AdjustToUniversal), new DateTime(2023, 12, 31, 23, 59, 59));
    }
}
