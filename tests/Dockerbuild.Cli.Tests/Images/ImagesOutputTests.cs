namespace Dockerbuild.Cli.Tests.Images;

/// <summary>
/// <c>images</c> as docker prints it: tabwriter columns (width of the widest cell plus 3, at least 10),
/// one row per tag, <c>&lt;none&gt;</c> for dangling images, short IDs unless <c>--no-trunc</c>.
/// </summary>
public sealed class ImagesOutputTests
{
    [Fact]
    public async Task ColumnsArePaddedLikeDockersTabwriter()
    {
        using var cli = new ImageCli();
        var id = await cli.ImportAsync("x", "app:1");
        var lines = await cli.LinesAsync("images");
        Assert.StartsWith("REPOSITORY   TAG       IMAGE ID       CREATED", lines[0]);
        Assert.EndsWith("SIZE", lines[0]);
        Assert.StartsWith($"app          1         {id[7..19]}   ", lines[1]);
        Assert.Equal(lines[0].IndexOf("SIZE", StringComparison.Ordinal), lines[1].LastIndexOf("   ", StringComparison.Ordinal) + 3);
        Assert.Equal(lines, await cli.LinesAsync("image", "ls"));
    }

    [Fact]
    public async Task OneRowPerTagAndOneIdPerImageWhenQuiet()
    {
        using var cli = new ImageCli();
        var id = await cli.ImportAsync("x", "app:1");
        await cli.LinesAsync("tag", "app:1", "registry.example:5000/team/app:2");
        var lines = await cli.LinesAsync("images");
        Assert.Equal(3, lines.Length);
        Assert.Contains(lines, l => l.StartsWith("registry.example:5000/team/app   2 ", StringComparison.Ordinal));
        Assert.Equal([id[7..19]], await cli.LinesAsync("images", "-q"));
        Assert.Equal([id], await cli.LinesAsync("images", "-q", "--no-trunc"));
        Assert.Contains(id, (await cli.LinesAsync("images", "--no-trunc"))[1]);
    }

    [Fact]
    public async Task DanglingImagesShowNoneAndFiltersSelectThem()
    {
        using var cli = new ImageCli();
        var old = await cli.ImportAsync("old", "app:1");
        var current = await cli.ImportAsync("new", "app:1");
        var other = await cli.ImportAsync("other", "tools/lint:v2");
        var dangling = (await cli.LinesAsync("images")).Single(l => l.Contains(old[7..19], StringComparison.Ordinal));
        Assert.StartsWith("<none>       <none>    ", dangling);

        Assert.Equal([old[7..19]], await cli.LinesAsync("images", "-q", "--filter", "dangling=true"));
        Assert.Equal(new[] { current[7..19], other[7..19] }.Order(), (await cli.LinesAsync("images", "-q", "--filter", "dangling=false")).Order());
        Assert.Equal([other[7..19]], await cli.LinesAsync("images", "-q", "--filter", "reference=tools/*"));
        Assert.Equal([current[7..19]], await cli.LinesAsync("images", "-q", "--filter", "reference=app:1"));
        Assert.Equal([current[7..19]], await cli.LinesAsync("images", "-q", "app"));
        Assert.Empty((await cli.LinesAsync("images", "app:2")).Skip(1));
    }

    [Fact]
    public async Task DigestsColumnShowsNoneForImagesNeverPushedOrPulled()
    {
        using var cli = new ImageCli();
        var id = await cli.ImportAsync("x", "app:1");
        var lines = await cli.LinesAsync("images", "--digests");
        Assert.StartsWith("REPOSITORY   TAG       DIGEST    IMAGE ID       CREATED", lines[0]);
        Assert.StartsWith($"app          1         <none>    {id[7..19]}   ", lines[1]);
    }
}
