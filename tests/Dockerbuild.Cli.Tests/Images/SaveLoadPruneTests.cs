namespace Dockerbuild.Cli.Tests.Images;

/// <summary>save to stdout and load from stdin in-process; prune's confirmation and its report.</summary>
public sealed class SaveLoadPruneTests
{
    [Fact]
    public async Task SaveToStdoutLoadsBackWithTheSameIdAndTags()
    {
        using var source = new ImageCli();
        var id = await source.ImportAsync("x", "app:1");
        await source.LinesAsync("tag", "app:1", "app:2");
        Assert.Empty(await source.LinesAsync("save", "app"));
        var archive = source.BinaryOut;
        Assert.NotEmpty(archive);

        using var target = new ImageCli { Stdin = archive };
        Assert.Equal(["Loaded image: app:1", "Loaded image: app:2"], (await target.LinesAsync("load")).Order());
        Assert.Equal([id[7..19]], await target.LinesAsync("images", "-q"));
    }

    [Fact]
    public async Task AnImageSavedByIdLoadsWithoutAName()
    {
        using var source = new ImageCli();
        var id = await source.ImportAsync("x", "app:1");
        var file = Path.Combine(source.Home, "by-id.tar");
        await source.LinesAsync("save", "-o", file, id);

        using var target = new ImageCli();
        Assert.Equal([$"Loaded image ID: {id}"], await target.LinesAsync("load", "-i", file));
        Assert.StartsWith("<none>", (await target.LinesAsync("images"))[1]);
    }

    [Fact]
    public async Task PruneAsksFirstAndKeepsEverythingUnlessConfirmed()
    {
        using var cli = new ImageCli();
        var old = await cli.ImportAsync("old", "app:1");
        await cli.ImportAsync("new", "app:1");

        cli.Stdin = "n\n"u8.ToArray();
        var declined = await cli.LinesAsync("image", "prune");
        Assert.Equal(["WARNING! This will remove all dangling images.", "Are you sure you want to continue? [y/N] "], declined);
        Assert.Equal(2, (await cli.LinesAsync("images", "-q")).Length);

        cli.Stdin = "y\n"u8.ToArray();
        var confirmed = await cli.LinesAsync("image", "prune");
        Assert.Contains($"deleted: {old}", confirmed);
        Assert.StartsWith("Total reclaimed space: ", confirmed[^1]);
        Assert.Single(await cli.LinesAsync("images", "-q"));
    }
}
