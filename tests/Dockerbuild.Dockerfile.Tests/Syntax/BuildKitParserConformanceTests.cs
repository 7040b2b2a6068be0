using Dockerbuild.Dockerfile.Syntax;
using Dockerbuild.Testing;

namespace Dockerbuild.Dockerfile.Tests.Syntax;

/// <summary>BuildKit's own parser golden files (../shared/conformance/buildkit-parser).</summary>
public sealed class BuildKitParserConformanceTests
{
    [Fact]
    public void EveryTestfileDumpsExactlyAsBuildKit()
    {
        var folders = CaseFolders("testfiles");
        Assert.Equal(33, folders.Length);

        var failures = new List<string>();
        foreach (var folder in folders)
        {
            var expected = File.ReadAllText(Path.Combine(folder, "result"));
            try
            {
                var syntax = DockerfileParser.Parse(File.ReadAllText(Path.Combine(folder, "Dockerfile")), "Dockerfile");
                var actual = AstDump.Format(syntax);
                if (actual != expected)
                {
                    failures.Add($"{Path.GetFileName(folder)}:\n--- expected\n{expected}--- actual\n{actual}");
                }
            }
            catch (DockerfileException error)
            {
                failures.Add($"{Path.GetFileName(folder)}: {error.Message}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void EveryNegativeTestfileIsRejectedWithItsLocation()
    {
        var folders = CaseFolders("testfiles-negative");
        Assert.Equal(4, folders.Length);

        foreach (var folder in folders)
        {
            var path = Path.Combine(folder, "Dockerfile");
            var text = File.ReadAllText(path);

            var error = Assert.Throws<DockerfileException>(() => DockerfileParser.Parse(text, path));

            Assert.Matches(@"^.+:\d+:\d+: .*expected", error.Message);
            Assert.StartsWith(path + ":", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void LineNumbersCoverContinuationsLikeBuildKit()
    {
        var path = Conformance.PathOf("buildkit-parser", "testfile-line", "Dockerfile");

        var syntax = DockerfileParser.Parse(File.ReadAllText(path), "Dockerfile");

        Assert.Equal((5, 31), (syntax.Span.StartLine, syntax.Span.EndLine));
        Assert.Equal(
            [(5, 5), (11, 12), (17, 31)],
            syntax.Instructions.Select(node => (node.Span.StartLine, node.Span.EndLine)).ToArray());
    }

    private static string[] CaseFolders(string folder) =>
        Directory.GetDirectories(Conformance.PathOf("buildkit-parser", folder)).Order(StringComparer.Ordinal).ToArray();
}
