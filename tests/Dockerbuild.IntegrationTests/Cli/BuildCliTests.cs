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

    /// <summary>
    /// SOURCE_DATE_EPOCH in the environment (buildx passes it as a build arg): two builds of the same
    /// inputs in two stores, from contexts written at different times, give the same image; -t repeats
    /// and --label lands in the config.
    /// </summary>
    [Fact]
    public async Task SourceDateEpochFromTheEnvironmentGivesTheSameImageInTwoStoresWithEveryTagAndLabel()
    {
        var ids = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            using var cli = new DockerbuildProcess();
            cli.Environment["SOURCE_DATE_EPOCH"] = "1700000000";
            var context = await BusyboxContext.CreateAsync(cli.Home, BusyboxContext.Base + "RUN echo x > /x\n");

            ids.Add((await cli.RunAsync("build", "-q", "-t", "first:1", "-t", "second:2", "--label", "org.example.built=yes", context)).Succeeded().Out.Trim());

            var inspect = JsonNode.Parse((await cli.RunAsync("image", "inspect", "second:2")).Succeeded().Out)![0]!;
            Assert.Equal(["first:1", "second:2"], inspect["RepoTags"]!.AsArray().Select(t => (string?)t).Order(StringComparer.Ordinal));
            Assert.Equal("yes", (string?)inspect["Config"]!["Labels"]!["org.example.built"]);
            Assert.StartsWith("2023-11-14T22:13:20", (string?)inspect["Created"], StringComparison.Ordinal);
            await Task.Delay(1100, TestContext.Current.CancellationToken); // the next context's files are a second newer
        }

        Assert.Equal(ids[0], ids[1]);
    }
}
