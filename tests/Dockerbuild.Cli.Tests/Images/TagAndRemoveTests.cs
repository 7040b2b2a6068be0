namespace Dockerbuild.Cli.Tests.Images;

/// <summary>tag and rmi with docker's rules and <c>Untagged:</c>/<c>Deleted:</c> lines.</summary>
public sealed class TagAndRemoveTests
{
    [Fact]
    public async Task RemovingOneOfSeveralTagsOnlyUntagsIt()
    {
        using var cli = new ImageCli();
        var id = await cli.ImportAsync("x", "app:1");
        await cli.LinesAsync("tag", "app:1", "other");
        Assert.Equal(["Untagged: other:latest"], await cli.LinesAsync("rmi", "other"));
        Assert.Equal([id[7..19]], await cli.LinesAsync("images", "-q"));
        Assert.Equal(["Untagged: app:1", $"Deleted: {id}"], await cli.LinesAsync("rmi", "app:1"));
        Assert.Empty(await cli.LinesAsync("images", "-q"));
    }

    [Fact]
    public async Task RemovingByIdAnImageOfSeveralRepositoriesNeedsForce()
    {
        using var cli = new ImageCli();
        var id = await cli.ImportAsync("x", "app:1");
        await cli.LinesAsync("tag", id[7..19], "mirror/app:1");
        var (code, _, error) = await cli.RunAsync("rmi", id[7..19]);
        Assert.Equal(1, code);
        Assert.Equal($"Error: conflict: unable to delete {id[7..19]} (must be forced) - image is referenced in multiple repositories", error.Trim());

        var forced = await cli.LinesAsync("rmi", "-f", id[7..19]);
        Assert.Equal($"Deleted: {id}", forced[^1]);
        Assert.Equal(["Untagged: app:1", "Untagged: mirror/app:1"], forced[..^1].Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task RemovingByIdTagsOfOneRepositoryNeedsNoForce()
    {
        using var cli = new ImageCli();
        var id = await cli.ImportAsync("x", "app:1");
        await cli.LinesAsync("tag", "app:1", "app:2");
        var lines = await cli.LinesAsync("rmi", id);
        Assert.Equal($"Deleted: {id}", lines[^1]);
        Assert.Equal(["Untagged: app:1", "Untagged: app:2"], lines[..^1].Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task EachMissingImageIsReportedAndTheOthersAreStillRemoved()
    {
        using var cli = new ImageCli();
        await cli.ImportAsync("x", "app:1");
        var (code, output, error) = await cli.RunAsync("rmi", "missing", "app:1");
        Assert.Equal(1, code);
        Assert.Equal("Error: No such image: missing", error.Trim());
        Assert.Contains("Untagged: app:1", output);
    }

    [Fact]
    public async Task TagWithADigestIsRefused()
    {
        using var cli = new ImageCli();
        await cli.ImportAsync("x", "app:1");
        var (code, _, error) = await cli.RunAsync("tag", "app:1", "app@sha256:" + new string('a', 64));
        Assert.Equal(1, code);
        Assert.Contains("refusing to create a tag with a digest reference", error);
    }
}
