namespace Dockerbuild.Cli.Tests.Images;

/// <summary>Every bad reference, flag combination or missing image is one line on stderr and a non-zero exit.</summary>
public sealed class ImageCommandErrorTests
{
    [Theory]
    [InlineData("invalid reference", "pull", "Bad/Name")]
    [InlineData("tag can't be used with --all-tags/-a", "pull", "-a", "foo:1")]
    [InlineData("not a valid platform", "pull", "--platform", "linux//", "foo")]
    [InlineData("tag can't be used with --all-tags/-a", "push", "-a", "foo:1")]
    [InlineData("cannot push a digest reference", "push", "foo@sha256:0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("No such image: foo:1", "push", "foo:1")]
    [InlineData("No such image: missing", "rmi", "missing")]
    [InlineData("No such image: missing", "tag", "missing", "other")]
    [InlineData("invalid reference", "tag", "missing", "UPPER")]
    [InlineData("No such image: missing", "history", "missing")]
    [InlineData("No such image: missing", "save", "-o", "x.tar", "missing")]
    [InlineData("invalid filter 'bogus=1'", "images", "--filter", "bogus=1")]
    [InlineData("invalid filter 'dangling=maybe'", "images", "--filter", "dangling=maybe")]
    [InlineData("RUN is not a valid change command", "import", "-c", "RUN echo hi", "-")]
    [InlineData("invalid --change \"ENV\": ENV requires at least one argument", "import", "-c", "ENV", "-")]
    [InlineData("unknown flag: --bogus", "images", "--bogus")]
    [InlineData("invalid port specification", "import", "-c", "EXPOSE 99999", "-")]
    [InlineData("Must provide --username with --password-stdin", "login", "--password-stdin", "127.0.0.1:1")]
    [InlineData("--password and --password-stdin are mutually exclusive", "login", "-u", "a", "-p", "b", "--password-stdin", "127.0.0.1:1")]
    [InlineData("Cannot perform an interactive login from a non TTY device", "login", "127.0.0.1:1")]
    [InlineData("limit 0 is outside the range of [1, 100]", "search", "--limit", "0", "x")]
    [InlineData("Could not find file", "load", "-i", "does-not-exist.tar")]
    public async Task FailsWithOneLine(string expected, params string[] args)
    {
        using var cli = new ImageCli();
        var (code, output, error) = await cli.RunAsync(args);
        Assert.NotEqual(0, code);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("Error: ", line);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output + error);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("short text", "shorter than one tar header")]
    public async Task ImportRefusesSomethingThatIsNotATarball(string content, string expected)
    {
        using var cli = new ImageCli { Stdin = System.Text.Encoding.UTF8.GetBytes(content) };
        var (code, _, error) = await cli.RunAsync("import", "-", "app:1");
        Assert.Equal(1, code);
        Assert.Contains(expected, Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        Assert.Empty(await cli.LinesAsync("images", "-q"));
    }

    [Fact]
    public async Task ImportRefusesALongFileThatIsNotATarball()
    {
        using var cli = new ImageCli { Stdin = System.Text.Encoding.UTF8.GetBytes(new string('x', 4096)) };
        var (code, _, error) = await cli.RunAsync("import", "-");
        Assert.Equal(1, code);
        Assert.Contains("not a tar archive", error);
        Assert.Empty(Directory.Exists(Path.Combine(cli.Root, "blobs", "sha256")) ? Directory.GetFiles(Path.Combine(cli.Root, "blobs", "sha256")) : []);
    }

    [Fact]
    public async Task UnknownFlagIsAUsageError()
    {
        using var cli = new ImageCli();
        var (code, _, error) = await cli.RunAsync("pull", "--bogus", "x");
        Assert.Equal(2, code);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task SaveRefusesToWriteAnArchiveToATerminal()
    {
        using var cli = new ImageCli { OutputIsTerminal = true };
        await cli.ImportAsync("x", "app:1");
        var (code, _, error) = await cli.RunAsync("save", "app:1");
        Assert.Equal(1, code);
        Assert.Contains("cowardly refusing to save to a terminal", error);
    }

    [Fact]
    public async Task LoadRefusesAnInteractiveStdin()
    {
        using var cli = new ImageCli { InputIsTerminal = true };
        var (code, _, error) = await cli.RunAsync("load");
        Assert.Equal(1, code);
        Assert.Contains("stdin is a terminal", error);
    }

    [Fact]
    public async Task LoadOfSomethingThatIsNotAnArchiveIsOneLine()
    {
        using var cli = new ImageCli { Stdin = "definitely not a tar archive, just text that goes on for a while......................................................................................................................................................................................................................................................................................................................................................................................................................................................................................................................"u8.ToArray() };
        var (code, _, error) = await cli.RunAsync("load");
        Assert.Equal(1, code);
        Assert.StartsWith("Error: ", Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }

    [Fact]
    public async Task InspectPrintsTheImagesFoundAndReportsTheMissingOnes()
    {
        using var cli = new ImageCli();
        var id = await cli.ImportAsync("x", "app:1");
        var (code, output, error) = await cli.RunAsync("inspect", "app:1", "missing");
        Assert.Equal(1, code);
        using var json = System.Text.Json.JsonDocument.Parse(output);
        Assert.Equal(id, Assert.Single(json.RootElement.EnumerateArray()).GetProperty("Id").GetString());
        Assert.Equal("Error: No such image: missing", error.Trim());
    }
}
