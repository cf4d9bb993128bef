using System.Runtime.Versioning;
using Runcs.Container;

namespace OciRuntime.Tests.Unit.Runtime;

[SupportedOSPlatform("linux")]
public class ContainerIdTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("0")]
    [InlineData("mycontainer")]
    [InlineData("abc-DEF_123.4+5")]
    [InlineData("4f9e0c5a2b1d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f")]
    [InlineData("...")]
    [InlineData(".hidden")]
    [InlineData("a..b")]
    [InlineData("-leading-dash")]
    [InlineData("k8s_POD_name_ns_uid_0")]
    public void Valid(string id) => Assert.Null(ContainerId.Problem(id));

    [Fact]
    public void MaxLengthIsValid() => Assert.Null(ContainerId.Problem(new string('x', 1024)));

    [Fact]
    public void TooLong()
    {
        var p = ContainerId.Problem(new string('x', 1025));
        Assert.NotNull(p);
        Assert.Contains("1024", p);
    }

    [Fact]
    public void Empty()
    {
        Assert.Equal("container id cannot be empty", ContainerId.Problem(""));
        Assert.Equal("container id cannot be empty", ContainerId.Problem(null!));
    }

    [Theory]
    [InlineData(".")]
    [InlineData("..")]
    public void DotAndDotDot(string id) => Assert.Equal($"invalid container id: {id}", ContainerId.Problem(id));

    [Theory]
    [InlineData("a/b")]
    [InlineData("/abs")]
    [InlineData("../escape")]
    [InlineData("trailing/")]
    [InlineData("a b")]
    [InlineData(" ")]
    [InlineData("a:b")]
    [InlineData("a,b")]
    [InlineData("a*b")]
    [InlineData("a\\b")]
    [InlineData("é")]
    [InlineData("a\u00a0b")]
    [InlineData("a\u0660")] // Arabic-Indic digit: a digit, but not ASCII
    public void InvalidCharacters(string id) => Assert.Equal($"invalid container id: {id}", ContainerId.Problem(id));

    [Theory]
    [InlineData("a\nb", "a\\x0ab")]
    [InlineData("a\tb", "a\\x09b")]
    [InlineData("\u0001", "\\x01")]
    [InlineData("x\u007f", "x\\x7f")]
    [InlineData("a\0", "a\\x00")]
    public void ControlCharactersArePrintedEscapedOnOneLine(string id, string shown)
    {
        var p = ContainerId.Problem(id);
        Assert.Equal($"invalid container id: {shown}", p);
        Assert.DoesNotContain('\n', p!);
    }
}
