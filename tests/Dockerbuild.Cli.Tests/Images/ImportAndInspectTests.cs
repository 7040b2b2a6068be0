using System.Text.Json;

namespace Dockerbuild.Cli.Tests.Images;

/// <summary>
/// import's config as docker's <c>import --change</c> builds it (Dockerfile semantics: shell-form commands
/// through /bin/sh -c, ENTRYPOINT dropping an earlier CMD, words expanded with ENV, WORKDIR joined), read
/// back through inspect's docker-shaped JSON.
/// </summary>
public sealed class ImportAndInspectTests
{
    [Fact]
    public async Task ChangesAreAppliedWithDockerfileSemantics()
    {
        using var cli = new ImageCli();
        await cli.ImportAsync("x", "app:1",
            "-c", "ENV BASE=/srv NAME=web",
            "-c", "ENV HOME=$BASE/home",
            "-c", "WORKDIR $BASE",
            "-c", "WORKDIR data",
            "-c", "USER $NAME",
            "-c", "EXPOSE 80 8000-8001/udp",
            "-c", "LABEL \"org.example.team\"=\"a b\" version=1",
            "-c", "VOLUME [\"/cache\"]",
            "-c", "ONBUILD RUN make",
            "-c", "CMD echo hi");
        var config = (await InspectAsync(cli, "app:1")).GetProperty("Config");
        Assert.Equal(["BASE=/srv", "NAME=web", "HOME=/srv/home"], Strings(config.GetProperty("Env")));
        Assert.Equal("/srv/data", config.GetProperty("WorkingDir").GetString());
        Assert.Equal("web", config.GetProperty("User").GetString());
        Assert.Equal(["80/tcp", "8000/udp", "8001/udp"], config.GetProperty("ExposedPorts").EnumerateObject().Select(p => p.Name));
        Assert.Equal("a b", config.GetProperty("Labels").GetProperty("org.example.team").GetString());
        Assert.Equal(["/cache"], config.GetProperty("Volumes").EnumerateObject().Select(p => p.Name));
        Assert.Equal(["RUN make"], Strings(config.GetProperty("OnBuild")));
        Assert.Equal(["/bin/sh", "-c", "echo hi"], Strings(config.GetProperty("Cmd")));
    }

    [Fact]
    public async Task EntrypointDropsACmdNotSetAlongsideIt()
    {
        using var cli = new ImageCli();
        await cli.ImportAsync("x", "kept:1", "-c", "CMD [\"--help\"]", "-c", "ENTRYPOINT [\"/app\"]");
        var kept = (await InspectAsync(cli, "kept:1")).GetProperty("Config");
        Assert.Equal(["/app"], Strings(kept.GetProperty("Entrypoint")));
        Assert.Equal(["--help"], Strings(kept.GetProperty("Cmd")));

        await cli.ImportAsync("x", "dropped:1", "-c", "ENTRYPOINT /app run");
        var dropped = (await InspectAsync(cli, "dropped:1")).GetProperty("Config");
        Assert.Equal(["/bin/sh", "-c", "/app run"], Strings(dropped.GetProperty("Entrypoint")));
        Assert.False(dropped.TryGetProperty("Cmd", out _));
    }

    [Fact]
    public async Task InspectShowsDockersFields()
    {
        using var cli = new ImageCli();
        var id = await cli.ImportAsync("x", "app:1", "--platform", "linux/arm64");
        var image = await InspectAsync(cli, "app:1");
        Assert.Equal(id, image.GetProperty("Id").GetString());
        Assert.Equal(["app:1"], Strings(image.GetProperty("RepoTags")));
        Assert.Empty(Strings(image.GetProperty("RepoDigests")));
        Assert.Equal("Imported from -", image.GetProperty("Comment").GetString());
        Assert.Equal("arm64", image.GetProperty("Architecture").GetString());
        Assert.Equal("linux", image.GetProperty("Os").GetString());
        Assert.True(image.GetProperty("Size").GetInt64() > 0);
        Assert.Equal("layers", image.GetProperty("RootFS").GetProperty("Type").GetString());
        Assert.Matches("^sha256:[0-9a-f]{64}$", Assert.Single(Strings(image.GetProperty("RootFS").GetProperty("Layers"))));
        Assert.True(DateTimeOffset.TryParse(image.GetProperty("Created").GetString(), out _));
        Assert.Equal("application/vnd.oci.image.manifest.v1+json", image.GetProperty("Descriptor").GetProperty("mediaType").GetString());
    }

    [Fact]
    public async Task HistoryNamesTheImageOnTheNewestRowAndShowsTheMessage()
    {
        using var cli = new ImageCli();
        var id = await cli.ImportAsync("x", "app:1", "-m", "first import");
        var lines = await cli.LinesAsync("history", "app:1");
        Assert.StartsWith("IMAGE          CREATED", lines[0]);
        Assert.Contains("CREATED BY", lines[0]);
        Assert.StartsWith(id[7..19] + "   ", lines[1]);
        Assert.EndsWith("first import", lines[1]);
        Assert.Equal([id[7..19]], await cli.LinesAsync("history", "-q", "app:1"));
        Assert.Equal([id], await cli.LinesAsync("history", "-q", "--no-trunc", "app:1"));
    }

    private static async Task<JsonElement> InspectAsync(ImageCli cli, string image)
    {
        var (code, output, error) = await cli.RunAsync("inspect", image);
        Assert.True(code == 0, error);
        Assert.StartsWith("[\n    {\n        \"Id\": ", output.ReplaceLineEndings("\n"));
        using var json = JsonDocument.Parse(output);
        return Assert.Single(json.RootElement.EnumerateArray()).Clone();
    }

    private static IEnumerable<string?> Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString());
}
