using Dockerbuild.Dockerfile.Ignore;

namespace Dockerbuild.Dockerfile.Tests.Ignore;

public sealed class DockerIgnoreFileTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("dockerignore-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task TheDockerfileSpecificIgnoreFileTakesPrecedence()
    {
        var dockerfile = Write("build/app.Dockerfile", "FROM scratch\n");
        Write("build/app.Dockerfile.dockerignore", "specific\n");
        Write(".dockerignore", "general\n");

        Assert.Equal(dockerfile + ".dockerignore", DockerIgnoreFile.Locate(_root, dockerfile));
        var ignore = await Load(dockerfile);
        Assert.True(ignore.IsExcluded("specific"));
        Assert.False(ignore.IsExcluded("general"));
    }

    [Fact]
    public async Task TheContextIgnoreFileAppliesWhenTheDockerfileHasNone()
    {
        var dockerfile = Write("Dockerfile", "FROM scratch\n");
        Write(".dockerignore", "general\n");
        Write("other.Dockerfile.dockerignore", "other\n");

        var ignore = await Load(dockerfile);
        Assert.True(ignore.IsExcluded("general"));
        Assert.False(ignore.IsExcluded("other"));
    }

    [Fact]
    public async Task WithoutAnyIgnoreFileNothingIsExcluded()
    {
        var dockerfile = Write("Dockerfile", "FROM scratch\n");
        Assert.Null(DockerIgnoreFile.Locate(_root, dockerfile));
        var ignore = await Load(dockerfile);
        Assert.Same(DockerIgnore.Empty, ignore);
        Assert.False(ignore.IsExcluded("anything"));
    }

    [Fact]
    public async Task AMalformedPatternNamesTheFile()
    {
        Write(".dockerignore", "ok\n[\n");
        var error = await Assert.ThrowsAsync<IgnorePatternException>(
            () => Load(dockerfile: null));
        Assert.Contains(Path.Combine(_root, ".dockerignore"), error.Message, StringComparison.Ordinal);
    }

    private Task<DockerIgnore> Load(string? dockerfile) =>
        DockerIgnoreFile.LoadAsync(_root, dockerfile, TestContext.Current.CancellationToken);

    private string Write(string relative, string content)
    {
        var path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }
}
