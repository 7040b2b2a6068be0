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
