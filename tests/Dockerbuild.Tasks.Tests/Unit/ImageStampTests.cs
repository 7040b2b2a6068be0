using Dockerbuild.Engine.Planning;
using Dockerbuild.Oci.Storage;
using Dockerbuild.Publish.Incremental;
using Dockerbuild.Testing;

namespace Dockerbuild.Tasks.Tests.Unit;

/// <summary>The incremental stamp's key: every input of the build counts, obj/ and ignored files do not.</summary>
public sealed class ImageStampTests
{
    [Fact]
    public async Task TheKeyChangesWithTheDockerfileContextPublishOutputAndSettingsButNotWithObjOrIgnoredFiles()
    {
        using var temp = new TempDirectory();
        var project = Directory.CreateDirectory(temp.Combine("app")).FullName;
        var publish = Directory.CreateDirectory(temp.Combine("app", "bin", "publish")).FullName;
        var obj = Directory.CreateDirectory(temp.Combine("app", "obj")).FullName;
        File.WriteAllText(Path.Combine(project, "Dockerfile"), "FROM scratch\nCOPY --from=publish / /app/\n");
        File.WriteAllText(Path.Combine(project, ".dockerignore"), "*.log\n");
        File.WriteAllText(Path.Combine(publish, "app.dll"), "v1");
        File.WriteAllText(Path.Combine(obj, "PublishOutputs.txt"), "a");
        var request = new BuildRequest
        {
            ContextDirectory = project,
            NamedContexts = new Dictionary<string, string> { ["publish"] = publish },
            Tags = ["app:latest"],
        };
        Task<string> KeyAsync(BuildRequest r) => ImageStamp.ComputeKeyAsync(r, [""], obj, TestContext.Current.CancellationToken);
        var first = await KeyAsync(request);

        Assert.Equal(first, await KeyAsync(request));
        File.WriteAllText(Path.Combine(obj, "PublishOutputs.txt"), "rewritten on every publish");
        File.WriteAllText(Path.Combine(project, "build.log"), "ignored by .dockerignore");
        Assert.Equal(first, await KeyAsync(request));

        File.WriteAllText(Path.Combine(publish, "app.dll"), "v2");
        var republished = await KeyAsync(request);
        Assert.NotEqual(first, republished);

        File.AppendAllText(Path.Combine(project, "Dockerfile"), "ENV A=1\n");
        var edited = await KeyAsync(request);
        Assert.NotEqual(republished, edited);

        Assert.NotEqual(edited, await KeyAsync(request with { Tags = ["app:2"] }));
        Assert.NotEqual(edited, await KeyAsync(request with { BuildArgs = new Dictionary<string, string> { ["A"] = "1" } }));
        Assert.NotEqual(edited, await KeyAsync(request with { Target = "other" }));
    }

    [Fact]
    public async Task BasesAreTheExternalFromImagesAsTheLocalStoreResolvesThem()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.Combine("Dockerfile"), "ARG BASE=busybox\nFROM ${BASE} AS one\nFROM scratch AS two\nFROM named AS three\nFROM alpine AS unused\nFROM one\nCOPY --from=two / /\nCOPY --from=three / /\n");
        var store = new ImageStore(new BlobStore(temp.Combine("store")));
        var request = new BuildRequest
        {
            ContextDirectory = temp.Path,
            BuildArgs = new Dictionary<string, string> { ["BASE"] = "example.com/base:1" },
            NamedContexts = new Dictionary<string, string> { ["named"] = temp.Path },
        };

        var bound = Dockerbuild.Dockerfile.Instructions.DockerfileBinder.Bind(Dockerbuild.Dockerfile.Syntax.DockerfileParser.Parse(File.ReadAllText(temp.Combine("Dockerfile")), "Dockerfile"));
        var bases = await ImageStamp.BasesAsync(bound, request, store, TestContext.Current.CancellationToken);

        // Stages, scratch and named contexts are not images of the store; stages the target does not need do not count.
        Assert.Equal(["example.com/base:1=missing"], bases);
        Assert.NotEqual(ImageStamp.WithBases("inputs", bases), ImageStamp.WithBases("inputs", ["example.com/base:1=sha256:0"]));
    }
}
