using System.Formats.Tar;
using Dockerbuild.Cli.Commands.Images;

namespace Dockerbuild.Cli.Tests.Images;

/// <summary>
/// Runs <c>dockerbuild</c> in-process with a private host: its own store root and docker config, the
/// given stdin bytes, a captured binary stdout, and chosen terminal flags.
/// </summary>
internal sealed class ImageCli : IDisposable
{
    private readonly Dictionary<string, string> environment = new(StringComparer.Ordinal);

    public ImageCli()
    {
        Home = Directory.CreateTempSubdirectory("dockerbuild-cli-tests-").FullName;
        environment["DOCKERBUILD_ROOT"] = Path.Combine(Home, "store");
        environment["DOCKER_CONFIG"] = Path.Combine(Home, "docker");
        environment["HOME"] = Home;
    }

    public string Home { get; }

    public string Root => environment["DOCKERBUILD_ROOT"];

    public byte[] Stdin { get; set; } = [];

    public bool InputIsTerminal { get; set; }

    public bool OutputIsTerminal { get; set; }

    /// <summary>What the last command wrote to binary stdout (save).</summary>
    public byte[] BinaryOut { get; private set; } = [];

    public async Task<(int ExitCode, string Out, string Err)> RunAsync(params string[] args)
    {
        var stdout = new MemoryStream();
        var host = new CliHost(
            name => environment.GetValueOrDefault(name),
            () => new MemoryStream(Stdin, writable: false),
            () => stdout,
            InputIsTerminal,
            OutputIsTerminal);
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CommandLineApp.RunAsync(Program.CreateCommands(host), args, output, error, TestContext.Current.CancellationToken);
        BinaryOut = stdout.ToArray();
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>Runs and asserts success, returning stdout's lines.</summary>
    public async Task<string[]> LinesAsync(params string[] args)
    {
        var (code, output, error) = await RunAsync(args);
        Assert.True(code == 0, $"dockerbuild {string.Join(' ', args)} exited {code}: {error}");
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>Imports a tiny rootfs (one file whose content is <paramref name="marker"/>) and returns the image ID.</summary>
    public async Task<string> ImportAsync(string marker, params string[] more)
    {
        using var tar = new MemoryStream();
        await using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            var entry = new PaxTarEntry(TarEntryType.RegularFile, "marker")
            {
                DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(marker)),
                ModificationTime = DateTimeOffset.UnixEpoch,
            };
            await writer.WriteEntryAsync(entry, TestContext.Current.CancellationToken);
        }

        Stdin = tar.ToArray();
        var lines = await LinesAsync(["import", "-", .. more]);
        Stdin = [];
        return Assert.Single(lines);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Home, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
