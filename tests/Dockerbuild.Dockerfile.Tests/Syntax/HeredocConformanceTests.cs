using System.Text.Json;
using Dockerbuild.Dockerfile.Syntax;
using Dockerbuild.Testing;

namespace Dockerbuild.Dockerfile.Tests.Syntax;

/// <summary>BuildKit's heredoc expectations (../shared/conformance/buildkit-parser/heredoc).</summary>
public sealed class HeredocConformanceTests
{
    private static readonly SourceSpan Nowhere = new("test", 1, 1, 1, 1);

    [Fact]
    public void HeredocsOfEveryInstructionAreExtractedAsBuildKitExpects()
    {
        var folder = Conformance.PathOf("buildkit-parser", "heredoc");
        using var expectations = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "expected_heredocs.json")));
        var cases = expectations.RootElement.GetProperty("cases").EnumerateArray().ToArray();

        var syntax = DockerfileParser.Parse(File.ReadAllText(Path.Combine(folder, "Dockerfile")), "Dockerfile");

        Assert.Equal(cases.Length + 1, syntax.Instructions.Count);
        for (var i = 0; i < cases.Length; i++)
        {
            var expected = cases[i].GetProperty("heredocs") is { ValueKind: JsonValueKind.Array } list
                ? list.EnumerateArray().Select(h => new Heredoc(
                    h.GetProperty("Name").GetString()!,
                    h.GetProperty("FileDescriptor").GetInt32(),
                    h.GetProperty("Expand").GetBoolean(),
                    h.GetProperty("Chomp").GetBoolean(),
                    h.GetProperty("Content").GetString()!)).ToArray()
                : [];
            var instruction = syntax.Instructions[i + 1];
            Assert.True(
                expected.SequenceEqual(instruction.Heredocs),
                $"{cases[i].GetProperty("comment").GetString()} (line {instruction.Span.StartLine}): expected [{string.Join(", ", expected.AsEnumerable())}], got [{string.Join(", ", instruction.Heredocs)}]");
        }
    }

    [Fact]
    public void SingleWordsAreRecognisedAsBuildKitsParseHeredoc()
    {
        using var helpers = Helpers();
        var root = helpers.RootElement;

        foreach (var word in Strings(root.GetProperty("valid_name_EOF")))
        {
            Assert.Equal("EOF", Heredocs.ParseWord(word, Nowhere)?.Name);
        }

        foreach (var word in Strings(root.GetProperty("invalid_error")))
        {
            Assert.Throws<DockerfileException>(() => Heredocs.ParseWord(word, Nowhere));
        }

        foreach (var word in Strings(root.GetProperty("not_heredoc_nil")))
        {
            Assert.Null(Heredocs.ParseWord(word, Nowhere));
        }
    }

    [Fact]
    public void LinesOpenTheHeredocsBuildKitFindsInThem()
    {
        using var helpers = Helpers();

        foreach (var lineCase in helpers.RootElement.GetProperty("heredocsFromLine").EnumerateArray())
        {
            var line = lineCase.GetProperty("line").GetString()!;
            var expected = lineCase.GetProperty("heredocNames") is { ValueKind: JsonValueKind.Array } names ? Strings(names) : [];

            var actual = Heredocs.FromLine(line, Nowhere).Select(heredoc => heredoc.Name).ToArray();

            Assert.True(expected.SequenceEqual(actual), $"{line}: expected [{string.Join(", ", expected)}], got [{string.Join(", ", actual)}]");
        }
    }

    [Fact]
    public void ChompedBodyLosesLeadingTabsOnly()
    {
        var heredoc = new Heredoc("EOF", 0, true, true, "\t\tbaz\n\tquux \t\n  x\n");

        Assert.Equal("baz\nquux \t\n  x\n", heredoc.Body);
    }

    private static JsonDocument Helpers() =>
        JsonDocument.Parse(File.ReadAllText(Conformance.PathOf("buildkit-parser", "heredoc", "heredoc_helpers.json")));

    private static string[] Strings(JsonElement array) => array.EnumerateArray().Select(item => item.GetString()!).ToArray();
}
