namespace Dockerbuild.Cli.Tests.Images;

/// <summary>search over a catalog that comes in pages.</summary>
public sealed class SearchTests
{
    [Fact]
    public async Task FollowsEveryCatalogPageAndKeepsTheNamesThatContainTheTerm()
    {
        await using var server = new CatalogServer(["team/app-one", "team/other"], ["app-two", "zzz"], ["library/APP-three"]);
        using var cli = new ImageCli();
        var lines = await cli.LinesAsync("search", server.Host + "/app");
        Assert.Equal(["NAME", "DESCRIPTION", "STARS", "OFFICIAL"], lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(
            [$"{server.Host}/app-two", $"{server.Host}/library/APP-three", $"{server.Host}/team/app-one"],
            lines.Skip(1).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0]));
        Assert.Equal(3, server.Requested.Count(p => p.StartsWith("/v2/_catalog", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task LimitAndFormatApply()
    {
        await using var server = new CatalogServer(["a1", "a2", "a3"]);
        using var cli = new ImageCli();
        Assert.Equal([$"{server.Host}/a1", $"{server.Host}/a2"], await cli.LinesAsync("search", "--limit", "2", "--format", "{{.Name}}", server.Host + "/a"));
        Assert.Equal(["NAME      DESCRIPTION   STARS     OFFICIAL"], await cli.LinesAsync("search", "--filter", "is-official=true", server.Host + "/a"));
    }
}
