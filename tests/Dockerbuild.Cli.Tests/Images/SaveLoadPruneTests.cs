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
    public async Task LoadingANameThatExistsMovesItAsDockerSays()
    {
        using var source = new ImageCli();
        await source.ImportAsync("new", "app:1");
        Assert.Empty(await source.LinesAsync("save", "app:1"));

        using var target = new ImageCli { Stdin = source.BinaryOut };
        var old = await target.ImportAsync("old", "app:1");
        target.Stdin = source.BinaryOut;
        Assert.Equal(
            [$"The image app:1 already exists, renaming the old one with ID {old} to empty string", "Loaded image: app:1"],
            await target.LinesAsync("load"));
        Assert.Equal(["<none>"], (await target.LinesAsync("images", "--filter", "dangling=true", "--format", "{{.Repository}}")));
    }

    [Fact]
    public async Task RootOptionSelectsTheStore()
    {
        using var cli = new ImageCli();
        var elsewhere = Path.Combine(cli.Home, "elsewhere");
        await cli.ImportAsync("x", "app:1", "--root", elsewhere);
        Assert.Empty(await cli.LinesAsync("images", "-q"));
        Assert.Single(await cli.LinesAsync("images", "-q", "--root", elsewhere));
        Assert.True(Directory.Exists(Path.Combine(elsewhere, "blobs")));
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
