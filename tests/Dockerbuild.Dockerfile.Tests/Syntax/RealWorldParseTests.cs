using Dockerbuild.Dockerfile.Syntax;

namespace Dockerbuild.Dockerfile.Tests.Syntax;

public sealed class RealWorldParseTests
{
    [Fact]
    public void EveryRealWorldDockerfileParses()
    {
        var paths = RealWorldCorpus.Paths();
        Assert.Equal(1191, paths.Count);

        var failures = new List<string>();
        foreach (var path in paths)
        {
            try
            {
                var syntax = DockerfileParser.Parse(File.ReadAllText(path), path);
                Assert.NotEmpty(syntax.Instructions);
            }
            catch (DockerfileException error)
            {
                failures.Add(error.Message);
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} files failed:\n{string.Join("\n", failures)}");
    }
}
