using Dockerbuild.Dockerfile.Syntax;

namespace Dockerbuild.Dockerfile.Tests.Syntax;

/// <summary>The dump quotes values as Go's strconv.Quote does (BuildKit prints its AST with %q).</summary>
public sealed class AstDumpTests
{
    [Theory]
    [InlineData("\a\b\f\n\r\t\v", "\"\\a\\b\\f\\n\\r\\t\\v\"")]
    [InlineData("\u0000\u001f\u007f", "\"\\x00\\x1f\\x7f\"")]
    [InlineData("\"q\" \\", "\"\\\"q\\\" \\\\\"")]
    [InlineData("é☺♥ü", "\"é☺♥ü\"")]
    [InlineData("\U0001F600", "\"\U0001F600\"")]
    [InlineData("\u00a0\u2003\u200b\ue000", "\"\\u00a0\\u2003\\u200b\\ue000\"")]
    [InlineData("\U000E0001", "\"\\U000e0001\"")]
    public void ValuesAreQuotedLikeGo(string value, string quoted)
    {
        var syntax = DockerfileParser.Parse("FROM a\nCMD [\"" + JsonEscape(value) + "\"]\n", "Dockerfile");

        Assert.Equal($"(from \"a\")\n(cmd {quoted})\n", AstDump.Format(syntax));
    }

    [Fact]
    public void FlagsPrintAsAGoStringSlice()
    {
        var syntax = DockerfileParser.Parse("RUN --mount=type=cache,target=/x --network=none make\n", "Dockerfile");

        Assert.Equal("(run [\"--mount=type=cache,target=/x\" \"--network=none\"] \"make\")\n", AstDump.Format(syntax));
    }

    private static string JsonEscape(string value) =>
        string.Concat(value.Select(c => $"\\u{(int)c:x4}"));
}
