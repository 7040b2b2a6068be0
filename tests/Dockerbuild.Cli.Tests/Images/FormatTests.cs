using System.Text.Json;

namespace Dockerbuild.Cli.Tests.Images;

/// <summary><c>--format</c> as docker reads it: templates with <c>{{.Field}}</c>, <c>table</c> headers, <c>json</c> lines.</summary>
public sealed class FormatTests
{
    [Fact]
    public async Task ImagesTemplatePrintsOneLinePerRow()
    {
        using var cli = new ImageCli();
        var id = await cli.ImportAsync("x", "app:1");
        await cli.LinesAsync("tag", "app:1", "app:2");
        Assert.Equal(["app:1 " + id[7..19], "app:2 " + id[7..19]], await cli.LinesAsync("images", "--format", "{{.Repository}}:{{.Tag}} {{.ID}}"));
    }

    [Fact]
    public async Task ImagesTableTemplateHasDockersHeaders()
    {
        using var cli = new ImageCli();
        await cli.ImportAsync("x", "app:1");
        var lines = await cli.LinesAsync("images", "--format", @"table {{.Repository}}\t{{.Tag}}\t{{.ID}}");
        Assert.Equal("REPOSITORY   TAG       IMAGE ID", lines[0]);
        Assert.StartsWith("app          1         ", lines[1]);
    }

    [Fact]
    public async Task ImagesJsonIsOneObjectPerLineWithDockersKeys()
    {
        using var cli = new ImageCli();
        var id = await cli.ImportAsync("x", "app:1");
        var line = Assert.Single(await cli.LinesAsync("images", "--format", "json"));
        using var json = JsonDocument.Parse(line);
        Assert.Equal("app", json.RootElement.GetProperty("Repository").GetString());
        Assert.Equal("1", json.RootElement.GetProperty("Tag").GetString());
        Assert.Equal(id[7..19], json.RootElement.GetProperty("ID").GetString());
        Assert.Equal("<none>", json.RootElement.GetProperty("Digest").GetString());
        Assert.EndsWith("+0000 UTC", json.RootElement.GetProperty("CreatedAt").GetString());
    }

    [Fact]
    public async Task HistoryTemplateSelectsFields()
    {
        using var cli = new ImageCli();
        await cli.ImportAsync("x", "app:1", "-m", "hello");
        Assert.Equal(["hello"], await cli.LinesAsync("history", "--format", "{{.Comment}}", "app:1"));
    }

    [Theory]
    [InlineData("{{.Nope}}", "can't evaluate field Nope")]
    [InlineData("{{range .}}x{{end}}", "template parsing error")]
    public async Task UnknownFieldsAndUnsupportedTemplatesAreOneLine(string format, string expected)
    {
        using var cli = new ImageCli();
        await cli.ImportAsync("x", "app:1");
        var (code, _, error) = await cli.RunAsync("images", "--format", format);
        Assert.Equal(1, code);
        Assert.Contains(expected, Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }
}
