using System.Text.Json;
using Dockerbuild.Oci;
using Dockerbuild.Oci.Storage;
using Dockerbuild.Testing.Registry;

namespace Dockerbuild.IntegrationTests.Cli;

/// <summary>A multi-platform index through the executable: pushed whole, pulled for the platform asked.</summary>
public sealed class MultiPlatformTests
{
    [Fact]
    public async Task PushAnIndexThenPullEachPlatformFromIt()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var registry = await RegistryServer.StartAsync(cancellationToken: cancellationToken);
        using var cli = new DockerbuildProcess();
        (await cli.RunAsync("import", "--platform", "linux/amd64", await RootfsTarball.WriteAsync(cli.Home, "amd64"), "parts:amd64")).Succeeded();
        (await cli.RunAsync("import", "--platform", "linux/arm64", await RootfsTarball.WriteAsync(cli.Home, "arm64"), "parts:arm64")).Succeeded();

        // The index is assembled with the library, as a multi-platform build would leave it in the store.
        var store = new ImageStore(new BlobStore(cli.Root));
        var children = new List<Descriptor>();
        foreach (var tag in new[] { "parts:amd64", "parts:arm64" })
        {
            var image = await store.OpenImageAsync(tag, cancellationToken: cancellationToken);
            children.Add(image.Manifest.ToDescriptor(MediaTypes.OciManifest) with { Platform = image.Config.Value.Platform });
        }

        var index = RawJson<ImageIndex>.Create(new ImageIndex(children) { MediaType = MediaTypes.OciIndex });
        await store.Blobs.WriteAsync(index, MediaTypes.OciIndex, cancellationToken);
        var repository = $"{registry.Host}/multi/app";
        await store.AddAsync(index.Digest, [ImageReference.Parse(repository + ":1")], cancellationToken);

        var push = (await cli.RunAsync("push", repository + ":1")).Succeeded();
        Assert.Contains($"1: digest: {index.Digest} size: {index.Size}", push.Lines);
        var raw = await SkopeoTool.InspectAsync("--tls-verify=false", "--raw", $"docker://{repository}:1");
        Assert.Equal(2, raw.GetProperty("manifests").GetArrayLength());

        foreach (var (platform, architecture) in new[] { ("linux/arm64", "arm64"), ("linux/amd64", "amd64") })
        {
            cli.Root = Path.Combine(cli.Home, "store-" + architecture);
            var pull = (await cli.RunAsync("pull", "--platform", platform, repository + ":1")).Succeeded();
            Assert.Contains($"Digest: {index.Digest}", pull.Lines);
            using var inspect = JsonDocument.Parse((await cli.RunAsync("inspect", repository + ":1")).Succeeded().Out);
            Assert.Equal(architecture, inspect.RootElement[0].GetProperty("Architecture").GetString());
            Assert.Contains(" ago", (await cli.RunAsync("images", "--format", "{{.CreatedSince}}")).Succeeded().Out);

            // Saved and read back by skopeo as the platform that was pulled.
            var archive = Path.Combine(cli.Home, architecture + ".tar");
            (await cli.RunAsync("save", "-o", archive, repository + ":1")).Succeeded();
            Assert.Equal(architecture, (await SkopeoTool.InspectAsync($"docker-archive:{archive}")).GetProperty("Architecture").GetString());
        }

        cli.Root = Path.Combine(cli.Home, "store-s390x");
        var missing = await cli.RunAsync("pull", "--platform", "linux/s390x", repository + ":1");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("no matching manifest for linux/s390x", Assert.Single(missing.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }
}
