using System.Runtime.Versioning;
using Runcs;

namespace OciRuntime.Tests.Unit.Runtime;

/// <summary>
/// `runcs list` table. runc prints it through Go's text/tabwriter as
/// tabwriter.NewWriter(os.Stdout, 12, 1, 3, ' ', 0): minwidth 12, padding 3. A column is as
/// wide as max(minwidth, widest cell + padding); the last cell of a line is not a column and
/// is written as is. Widths below are computed by hand from that rule.
/// </summary>
[SupportedOSPlatform("linux")]
public class VerbsTableTests
{
    private static readonly string[] Header = { "ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER" };

    private static string Cell(string text, int width)
    {
        Assert.True(width > text.Length, "test bug: width too small");
        return text + new string(' ', width - text.Length);
    }

    [Fact]
    public void HeaderOnly() =>
        Assert.Equal("ID          PID         STATUS      BUNDLE      CREATED     OWNER\n", Verbs.Table(new() { Header }));

    [Fact]
    public void ShortCellsUseTheMinimumWidth()
    {
        // Every cell is at most 9 characters: 9 + 3 = 12, so all columns are 12 wide.
        var table = Verbs.Table(new() { Header, new[] { "c1", "123", "running", "/b", "123456789", "root" } });
        Assert.Equal(
            "ID          PID         STATUS      BUNDLE      CREATED     OWNER\n" +
            "c1          123         running     /b          123456789   root\n", table);
    }

    [Fact]
    public void LastColumnIsNotPadded()
    {
        var table = Verbs.Table(new() { Header, new[] { "c1", "1", "stopped", "/b", "t", "a-very-long-owner-name" } });
        var lines = table.Split('\n');
        Assert.EndsWith("OWNER", lines[0]);
        Assert.EndsWith(" a-very-long-owner-name", lines[1]);
        Assert.Equal(lines[0].IndexOf("OWNER"), lines[1].IndexOf("a-very-long-owner-name"));
    }

    [Fact]
    public void EmptyLastCellLeavesThePaddedColumnBefore()
    {
        var table = Verbs.Table(new() { Header, new[] { "c1", "1", "stopped", "/b", "t", "" } });
        Assert.Equal("c1          1           stopped     /b          t           \n", table.Split('\n', 2)[1]);
    }

    [Fact]
    public void ColumnsLineUp()
    {
        var table = Verbs.Table(new()
        {
            Header,
            new[] { "a", "1", "running", "/run/containerd/io.containerd.runtime.v2.task/default/a", "2024-01-02T03:04:05.123456789Z", "root" },
            new[] { "bb", "22", "created", "/b", "2024-01-02T03:04:05Z", "" },
        });
        var lines = table.TrimEnd('\n').Split('\n');
        Assert.Equal(3, lines.Length);
        // Each column starts at the same offset on every line.
        foreach (var word in new[] { "PID", "STATUS", "BUNDLE", "CREATED", "OWNER" })
        {
            int col = lines[0].IndexOf(word);
            Assert.All(lines.Skip(1), l => Assert.True(l[col - 1] == ' ' && (l.Length == col || l[col] != ' '), $"column {word} in '{l}'"));
        }
    }

    [Fact]
    public void WidestCellGetsAtLeastOneSpace()
    {
        var longBundle = "/run/containerd/io.containerd.runtime.v2.task/default/abc";
        var table = Verbs.Table(new() { Header, new[] { "abc", "1", "running", longBundle, "t", "root" } });
        Assert.Contains(longBundle + " ", table);
    }

    [Fact]
    public void LongCellsArePaddedLikeRunc()
    {
        var row = new[] { "mycontainer1", "4242", "created", "/run/bundles/mycontainer1", "2024-01-02T03:04:05.123456789Z", "root" };
        var expected =
            Cell("ID", 15) + Cell("PID", 12) + Cell("STATUS", 12) + Cell("BUNDLE", 28) + Cell("CREATED", 33) + "OWNER\n" +
            Cell(row[0], 15) + Cell(row[1], 12) + Cell(row[2], 12) + Cell(row[3], 28) + Cell(row[4], 33) + "root\n";
        Assert.Equal(expected, Verbs.Table(new() { Header, row }));
    }

    [Fact]
    public void TenCharacterCellNeedsThirteenColumns()
    {
        var table = Verbs.Table(new() { Header, new[] { "0123456789", "1", "s", "/b", "t", "o" } });
        Assert.Equal(Cell("ID", 13) + Cell("PID", 12), table[..25]);
    }
}
