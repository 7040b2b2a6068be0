using System.Text.Json.Nodes;

namespace Dockerbuild.IntegrationTests.Cli;

/// <summary><c>dockerbuild build</c> through the executable: global options, outputs and the store it writes to.</summary>
public sealed class BuildCliTests
{
    [Fact]
    public async Task TheGlobalRootOptionSelectsTheStoreTheBuildWritesTo()
    {
        using var cli = new DockerbuildProcess();
        var context = await BusyboxContext.CreateAsync(cli.Home, BusyboxContext.Base + "RUN echo built > /built\n");
        var other = Path.Combine(cli.Home, "other-store");

        (await cli.RunAsync("--root", other, "build", "-q", "-t", "rooted:1", context)).Succeeded();

        Assert.Contains("rooted", (await cli.RunAsync("--root", other, "images")).Succeeded().Out, StringComparison.Ordinal);
        Assert.DoesNotContain("rooted", (await cli.RunAsync("images")).Succeeded().Out, StringComparison.Ordinal);
        Assert.Equal(["built"], (await cli.RunAsync("--root", other, "run", "rooted:1", "/bin/busybox", "cat", "/built")).Succeeded().Lines);
    }

    [Fact]
    public async Task MetadataFileAndIidfileHoldBuildxsKeysAndTheImagesDigests()
    {
        using var cli = new DockerbuildProcess();
        var context = await BusyboxContext.CreateAsync(cli.Home, BusyboxContext.Base + "RUN echo x > /x\n");
        var metadataPath = Path.Combine(cli.Home, "metadata.json");
        var iidPath = Path.Combine(cli.Home, "iid");

        (await cli.RunAsync("build", "-q", "-t", "meta:1", "-t", "registry.example:5000/team/meta", "--metadata-file", metadataPath, "--iidfile", iidPath, context)).Succeeded();

        var metadata = JsonNode.Parse(await File.ReadAllTextAsync(metadataPath, TestContext.Current.CancellationToken))!.AsObject();
        var inspect = JsonNode.Parse((await cli.RunAsync("image", "inspect", "meta:1")).Succeeded().Out)![0]!;
        var configDigest = inspect["Id"]!.GetValue<string>();
        var manifestDigest = (string)metadata["containerimage.digest"]!;

        // The image ID (config digest) is what buildx puts in --iidfile for a single-platform image.
        Assert.Equal(configDigest, await File.ReadAllTextAsync(iidPath, TestContext.Current.CancellationToken));
        Assert.Equal(configDigest, (string)metadata["containerimage.config.digest"]!);

        var descriptor = metadata["containerimage.descriptor"]!;
        Assert.Equal("application/vnd.oci.image.manifest.v1+json", (string)descriptor["mediaType"]!);
        Assert.Equal(manifestDigest, (string)descriptor["digest"]!);
        var manifestBytes = await File.ReadAllBytesAsync(Path.Combine(cli.Root, "blobs", "sha256", manifestDigest["sha256:".Length..]), TestContext.Current.CancellationToken);
        Assert.Equal(manifestBytes.Length, (long)descriptor["size"]!);
        Assert.Equal(configDigest, (string)JsonNode.Parse(manifestBytes)!["config"]!["digest"]!);
        Assert.NotNull(descriptor["annotations"]!["org.opencontainers.image.created"]);

        Assert.Equal("docker.io/library/meta:1,registry.example:5000/team/meta:latest", (string)metadata["image.name"]!);
        Assert.Matches("^dockerbuild/local/[0-9a-z]{25}$", (string)metadata["buildx.build.ref"]!);
        Assert.Equal(metadata.Select(p => p.Key).Order(StringComparer.Ordinal), metadata.Select(p => p.Key));
    }

    [Fact]
    public async Task UntaggedBuildsHaveNoImageNameAndAFailedBuildLeavesNoStaleIidfile()
    {
        using var cli = new DockerbuildProcess();
        var context = await BusyboxContext.CreateAsync(cli.Home, BusyboxContext.Base);
        var metadataPath = Path.Combine(cli.Home, "metadata.json");
        var iidPath = Path.Combine(cli.Home, "iid");
        await File.WriteAllTextAsync(iidPath, "stale", TestContext.Current.CancellationToken);

        (await cli.RunAsync("build", "-q", "--metadata-file", metadataPath, context)).Succeeded();
        Assert.Null(JsonNode.Parse(await File.ReadAllTextAsync(metadataPath, TestContext.Current.CancellationToken))!["image.name"]);

        await File.AppendAllTextAsync(Path.Combine(context, "Dockerfile"), "RUN exit 1\n", TestContext.Current.CancellationToken);
        Assert.NotEqual(0, (await cli.RunAsync("build", "-q", "--iidfile", iidPath, context)).ExitCode);
        Assert.False(File.Exists(iidPath));
    }
}
