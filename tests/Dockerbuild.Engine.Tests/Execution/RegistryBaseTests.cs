using Dockerbuild.Dockerfile;
using Dockerbuild.Oci;
using Dockerbuild.Oci.Registry;
using Dockerbuild.Testing.Registry;

namespace Dockerbuild.Engine.Tests.Execution;

/// <summary>FROM a registry image: pulled into the store on first use, with the real distribution registry on loopback.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class RegistryBaseTests
{
    [Fact]
    public async Task AMissingBaseIsPulledAndTaggedLocally()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var registry = await RegistryServer.StartAsync(cancellationToken: ct);
        using var client = new RegistryClient(new RegistryClientOptions { CertificatesDirectory = registry.CertsDirectory });
        using (var source = await BuildFixture.CreateAsync())
        {
            var local = await source.Store.OpenImageAsync(BusyboxImage.Name, cancellationToken: ct);
            var manifest = new RegistryManifest(MediaTypes.OciManifest, local.Manifest.Bytes);
            await client.PushImageAsync(ImageReference.Parse($"{registry.Host}/base/busybox"), ["1"], manifest, source.Store.Blobs, null, null, ct);
        }

        using var f = await BuildFixture.CreateAsync(withBusybox: false);
        f.Registry = client;
        var result = await f.BuildAsync($"FROM {registry.Host}/base/busybox:1\nRUN echo pulled > /p\n");

        Assert.NotNull(await f.Store.FindAsync($"{registry.Host}/base/busybox:1", ct));
        var rootfs = await f.ExtractAsync(result);
        Assert.Equal("pulled\n", await File.ReadAllTextAsync(Path.Combine(rootfs, "p"), ct));
    }

    /// <summary>
    /// FROM an index takes the manifest of the build's platform, as BuildKit resolves a base for the stage's
    /// platform; a second platform of the same tag is pulled beside the first.
    /// </summary>
    [Fact]
    public async Task EachPlatformTakesItsOwnManifestFromTheBasesIndex()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var registry = await RegistryServer.StartAsync(cancellationToken: ct);
        using var client = new RegistryClient(new RegistryClientOptions { CertificatesDirectory = registry.CertsDirectory });
        using (var source = await BuildFixture.CreateAsync(withBusybox: false))
        {
            var children = new List<Descriptor>();
            foreach (var architecture in (string[])["amd64", "arm64"])
            {
                // COPY runs nothing, so an arm64 image is made without an emulator.
                await File.WriteAllTextAsync(Path.Combine(source.Context, "which"), architecture, ct);
                children.Add((await source.BuildAsync("FROM scratch\nCOPY which /\n", r => r with { Platform = "linux/" + architecture })).Manifest);
            }

            var index = RawJson<ImageIndex>.Create(new ImageIndex(children) { MediaType = MediaTypes.OciIndex });
            await client.PushImageAsync(ImageReference.Parse($"{registry.Host}/base/multi"), ["1"], new RegistryManifest(MediaTypes.OciIndex, index.Bytes), source.Store.Blobs, null, null, ct);
        }

        using var f = await BuildFixture.CreateAsync(withBusybox: false);
        f.Registry = client;
        foreach (var architecture in (string[])["arm64", "amd64"])
        {
            var result = await f.BuildAsync($"FROM {registry.Host}/base/multi:1\n", r => r with { Platform = "linux/" + architecture });
            Assert.Equal(architecture, result.Config.Architecture);
            Assert.Equal(architecture, await File.ReadAllTextAsync(Path.Combine(await f.ExtractAsync(result), "which"), ct));
        }
    }

    /// <summary>
    /// --pull resolves a registry base again even when the store has the tag (BuildKit's
    /// ResolveModeForcePull); without it the local image is used, even when the registry moved on.
    /// </summary>
    [Fact]
    public async Task PullFetchesTheRegistrysCurrentBaseEvenWhenOneIsLocal()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var registry = await RegistryServer.StartAsync(cancellationToken: ct);
        using var client = new RegistryClient(new RegistryClientOptions { CertificatesDirectory = registry.CertsDirectory });
        var reference = ImageReference.Parse($"{registry.Host}/base/moving");
        using var source = await BuildFixture.CreateAsync();
        await PushAsync("FROM busybox:test\nRUN echo v1 > /version\n");

        using var f = await BuildFixture.CreateAsync(withBusybox: false);
        f.Registry = client;
        var dockerfile = $"FROM {reference}:1\nRUN cat /version > /seen\n";
        Assert.Equal("v1\n", await SeenAsync(await f.BuildAsync(dockerfile)));

        await PushAsync("FROM busybox:test\nRUN echo v2 > /version\n");
        Assert.Equal("v1\n", await SeenAsync(await f.BuildAsync(dockerfile)));
        Assert.Equal(0, f.LastRunCount);

        Assert.Equal("v2\n", await SeenAsync(await f.BuildAsync(dockerfile, r => r with { Pull = true })));
        Assert.Equal(1, f.LastRunCount);
        Assert.Equal("v2\n", await SeenAsync(await f.BuildAsync(dockerfile)));

        async Task PushAsync(string build)
        {
            var built = await source.BuildAsync(build);
            var manifest = new RegistryManifest(MediaTypes.OciManifest, (await source.Store.Blobs.ReadJsonAsync<ImageManifest>(built.ManifestDigest, ct)).Bytes);
            await client.PushImageAsync(reference, ["1"], manifest, source.Store.Blobs, null, null, ct);
        }

        async Task<string> SeenAsync(Dockerbuild.Engine.Execution.BuildResult result) =>
            await File.ReadAllTextAsync(Path.Combine(await f.ExtractAsync(result), "seen"), ct);
    }

    [Fact]
    public async Task AnUnreachableBaseIsOneClearError()
    {
        using var f = await BuildFixture.CreateAsync(withBusybox: false);
        using var client = new RegistryClient(new RegistryClientOptions { MaxRetries = 0 });
        f.Registry = client;
        var error = await Assert.ThrowsAsync<DockerfileException>(() => f.BuildAsync("FROM 127.0.0.1:1/nothing/here:1\n"));

        Assert.StartsWith("Dockerfile:1:", error.Message, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1:1/nothing/here:1", error.Message, StringComparison.Ordinal);
    }
}
