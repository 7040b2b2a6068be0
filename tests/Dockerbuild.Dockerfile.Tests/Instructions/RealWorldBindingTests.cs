using Dockerbuild.Dockerfile.Checks;
using Dockerbuild.Dockerfile.Instructions;
using Dockerbuild.Dockerfile.Syntax;
using Dockerbuild.Dockerfile.Tests.Syntax;

namespace Dockerbuild.Dockerfile.Tests.Instructions;

/// <summary>Every real-world Dockerfile of the conformance corpus parses and binds; the checks run on each.</summary>
public sealed class RealWorldBindingTests
{
    [Fact]
    public void EveryRealWorldDockerfileParsesAndBinds()
    {
        var files = RealWorldCorpus.Paths();
        var failures = new List<string>();
        foreach (var file in files)
        {
            try
            {
                var syntax = DockerfileParser.Parse(File.ReadAllText(file), file);
                var bound = DockerfileBinder.Bind(syntax);
                Assert.Equal(syntax.Instructions.Count, bound.GlobalArgs.Count + bound.Stages.Sum(s => 1 + s.Instructions.Count));
                _ = BuildChecks.Run(syntax, bound);
            }
            catch (Exception e)
            {
                failures.Add($"{file}: {e.GetType().Name}: {e.Message}");
            }
        }

        Assert.Equal(1191, files.Count);
        Assert.True(failures.Count == 0, $"{failures.Count} of {files.Count} failed:\n{string.Join('\n', failures.Take(30))}");
    }
}
