using Dockerbuild.Dockerfile.Instructions;
using Dockerbuild.Dockerfile.Syntax;
using Dockerbuild.Engine.Execution;
using Dockerbuild.Engine.Planning;
using Dockerbuild.Oci.Storage;
using Dockerbuild.Testing;

namespace Dockerbuild.Engine.Tests.Execution;

/// <summary>The checks a host runs without building (the MSBuild package): they read the context's .dockerignore as a build does.</summary>
public sealed class LocalBuildChecksTests
{
    [Fact]
    public async Task CopyIgnoredFileReadsTheDockerfilesOwnIgnoreFile()
    {
        using var root = new TempDirectory("dockerbuild-localchecks-");
        var context = root.Combine("context");
        Directory.CreateDirectory(context);
        const string dockerfile = "# check=experimental=CopyIgnoredFile\nFROM scratch\nCOPY notes/todo.txt /\nCOPY app.bin /\n";
        var dockerfilePath = Path.Combine(context, "app.Dockerfile");
        await File.WriteAllTextAsync(dockerfilePath, dockerfile, TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(context, ".dockerignore"), "app.bin\n", TestContext.Current.CancellationToken);
        // <Dockerfile>.dockerignore wins over the context's, as in BuildKit.
        await File.WriteAllTextAsync(dockerfilePath + ".dockerignore", "notes\n", TestContext.Current.CancellationToken);

        var syntax = DockerfileParser.Parse(dockerfile, "app.Dockerfile");
        var request = new BuildRequest { ContextDirectory = context, DockerfilePath = dockerfilePath };
        var findings = await LocalBuildChecks.RunAsync(syntax, DockerfileBinder.Bind(syntax), request, new ImageStore(new BlobStore(root.Combine("store"))), TestContext.Current.CancellationToken);

        var finding = Assert.Single(findings);
        Assert.Equal(("CopyIgnoredFile", "Attempting to Copy file \"notes/todo.txt\" that is excluded by .dockerignore", 3), (finding.RuleName, finding.Message, finding.Span.StartLine));
    }
}
