using Dockerbuild.Oci;
using Dockerbuild.Oci.Archive;
using Dockerbuild.Oci.Layout;
using Dockerbuild.Oci.Registry;
using Dockerbuild.Oci.Storage;
using Dockerbuild.Testing.Registry;

namespace Dockerbuild.Engine.Tests.Execution;

/// <summary>--output destinations besides the local store: an OCI layout, a docker-archive, a registry.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class OutputTests
{
    [Fact]
    public async Task OciLayoutAndDockerArchiveHoldTheImageUnderItsTag()
    {
        var ct = TestContext.Current.CancellationToken;
        using var f = await BuildFixture.CreateAsync();
        var layoutDir = Path.Combine(f.Context, "..", "layout");
        var archive = Path.Combine(f.Context, "..", "image.tar");
        var result = await f.BuildAsync("FROM busybox:test\nRUN echo out > /out\n", r => r with
        {
            Tags = ["example/app:1"],
            Outputs = [$"type=oci,dest={layoutDir}", $"type=docker,dest={archive}"],
        });

        var layout = await OciLayout.OpenAsync(layoutDir, ct);
        var entry = Assert.Single(layout.Manifests);
        Assert.Equal(result.ManifestDigest, entry.Digest);
        Assert.Equal("1", entry.Annotation(Annotations.RefName)); // BuildKit's oci exporter: the tag alone

        var other = new ImageStore(new BlobStore(Path.Combine(f.Context, "..", "other-store")));
        await using var tar = File.OpenRead(archive);
        var loaded = Assert.Single(await DockerArchive.LoadAsync(tar, other.Blobs, ct));
        Assert.Equal("docker.io/example/app:1", Assert.Single(loaded.Names).ToString());
    }

    [Fact]
    public async Task RegistryOutputPushesEveryTag()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var registry = await RegistryServer.StartAsync(cancellationToken: ct);
        using var client = new RegistryClient(new RegistryClientOptions { CertificatesDirectory = registry.CertsDirectory });
        using var f = await BuildFixture.CreateAsync();
        f.Registry = client;
        var result = await f.BuildAsync("FROM busybox:test\nENV PUSHED=1\n", r => r with { Tags = [$"{registry.Host}/built/app:v1"], Outputs = ["type=registry"] });

        var resolved = await client.ResolveAsync(ImageReference.Parse($"{registry.Host}/built/app:v1"), ct);
        Assert.Equal(result.ManifestDigest, resolved?.Digest);
    }
}
