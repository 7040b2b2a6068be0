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

    [Fact]
    public async Task TemplatesHaveFunctionsConditionsAndPipelines()
    {
        using var cli = new ImageCli();
        await cli.ImportAsync("x", "app:1");
        await cli.LinesAsync("tag", "app:1", "app:2");
        Assert.Equal(
            ["APP one", "APP 2"],
            await cli.LinesAsync("images", "--format", "{{.Repository | upper}} {{if eq .Tag \"1\"}}one{{else}}{{.Tag}}{{end}}"));
        Assert.Equal(["app=1 (3)"], await cli.LinesAsync("images", "app:1", "--format", "{{printf \"%s=%s\" .Repository .Tag}} ({{len .Repository}})"));
    }

    [Fact]
    public async Task TableTemplatesRunTheHeaderThroughDockersHeaderFunctions()
    {
        using var cli = new ImageCli();
        await cli.ImportAsync("x", "application:1");
        // docker's header functions return the column name: lower/truncate change the rows, not the header.
        var lines = await cli.LinesAsync("images", "--format", @"table {{lower .Repository}}\t{{truncate .Tag 1}}\t{{.Containers}}");
        // The first column is as wide as "application" plus docker's padding of 3: 14.
        Assert.Equal(["REPOSITORY    TAG       CONTAINERS", "application   1         N/A"], lines);
    }

    [Fact]
    public async Task JsonAloneAndJsonDotAreTheSameLines()
    {
        using var cli = new ImageCli();
        await cli.ImportAsync("x", "app:1");
        var json = Assert.Single(await cli.LinesAsync("images", "--format", "json"));
        Assert.Equal(json, Assert.Single(await cli.LinesAsync("images", "--format", "{{json .}}")));
        // encoding/json with HTML escaping off, as docker's: "<none>" stays readable.
        Assert.Contains("\"Digest\":\"<none>\"", json);
    }

    [Theory]
    [InlineData("{{.Nope}}", "can't evaluate field Nope in type *formatter.imageContext")]
    [InlineData("table {{.ID}}\t{{.Nope}}", "can't evaluate field Nope in type *formatter.imageContext")]
    [InlineData("{{range .}}x{{end}}", "range can't iterate over")]
    [InlineData("{{nope .ID}}", "function \"nope\" not defined")]
    [InlineData("{{.ID", "unclosed action")]
    [InlineData("{{if .ID}}x", "unexpected EOF")]
    public async Task TemplateErrorsAreOneLineAndExitCodeOne(string format, string expected)
    {
        using var cli = new ImageCli();
        await cli.ImportAsync("x", "app:1");
        var (code, output, error) = await cli.RunAsync("images", "--format", format);
        Assert.Equal(1, code);
        Assert.Equal("", output);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("Error: template parsing error: template: :1", line);
        Assert.Contains(expected, line);
    }

    [Fact]
    public async Task InspectRunsTheTemplateOverEachImagesDocument()
    {
        using var cli = new ImageCli();
        await cli.ImportAsync("x", "app:1", "--platform", "linux/arm64");
        await cli.LinesAsync("tag", "app:1", "app:2");
        Assert.Equal(
            ["linux/arm64 app:1,app:2 1", "linux/arm64 app:1,app:2 1"],
            await cli.LinesAsync("inspect", "-f", "{{.Os}}/{{.Architecture}} {{join .RepoTags \",\"}} {{len .RootFS.Layers}}", "app:1", "app:2"));
        Assert.Equal(["app:1;app:2;"], await cli.LinesAsync("inspect", "--format", "{{range $i, $t := .RepoTags}}{{$t}};{{end}}", "app:1"));
        // The document is decoded as docker's raw fallback: a missing key is "<no value>", not an error.
        Assert.Equal(["<no value>"], await cli.LinesAsync("inspect", "-f", "{{.Config.Nope}}", "app:1"));
        var layers = Assert.Single(await cli.LinesAsync("inspect", "-f", "{{json .RootFS}}", "app:1"));
        Assert.Matches("^\\{\"Layers\":\\[\"sha256:[0-9a-f]{64}\"\\],\"Type\":\"layers\"\\}$", layers);
        Assert.Matches("^[0-9]+$", Assert.Single(await cli.LinesAsync("inspect", "-f", "{{.Size}}", "app:1")));

        var (code, output, error) = await cli.RunAsync("inspect", "-f", "{{.Os", "app:1");
        Assert.Equal((1, ""), (code, output));
        Assert.Equal("Error: template parsing error: template: :1: unclosed action", error.Trim());
    }
}
