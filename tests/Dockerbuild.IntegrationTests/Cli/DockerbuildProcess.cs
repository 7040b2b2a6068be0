using System.Diagnostics;

namespace Dockerbuild.IntegrationTests.Cli;

/// <summary>
/// Runs the real <c>dockerbuild</c> executable (built beside the tests) as a user would, with its own
/// image store, docker config folder and HOME, so tests never touch the machine's or each other's.
/// </summary>
internal sealed class DockerbuildProcess : IDisposable
{
    public DockerbuildProcess()
    {
        Home = Directory.CreateTempSubdirectory("dockerbuild-cli-").FullName;
        Root = System.IO.Path.Combine(Home, "store");
        DockerConfig = System.IO.Path.Combine(Home, "docker-config");
        Directory.CreateDirectory(DockerConfig);
    }

    public string Home { get; }

    public string Root { get; set; }

    public string DockerConfig { get; }

    /// <summary>PATH for the process (e.g. with a credential helper in front); the test's own by default.</summary>
    public string? Path { get; set; }

    /// <summary>A command the executable is started through (setpriv, unshare ...), none by default.</summary>
    public IReadOnlyList<string> Launcher { get; set; } = [];

    /// <summary>A native <c>dockerbuild</c> (an installed tool) to run instead of the JIT-compiled dockerbuild.dll beside the tests.</summary>
    /// <remarks>
    /// DOCKERBUILD_TEST_EXECUTABLE sets it for every test, to run the whole CLI suite against a native
    /// build (<c>dotnet publish src/Dockerbuild.Cli -c Release -r linux-x64</c>).
    /// </remarks>
    public string? Executable { get; set; } = System.Environment.GetEnvironmentVariable("DOCKERBUILD_TEST_EXECUTABLE") is { Length: > 0 } native ? native : null;

    /// <summary>Variables set for the process on top of the test's own.</summary>
    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

    public string ConfigJson => System.IO.Path.Combine(DockerConfig, "config.json");

    public async Task<CliResult> RunAsync(params string[] arguments) => await RunAsync(null, arguments);

    public async Task<CliResult> RunAsync(byte[]? stdin, params string[] arguments)
    {
        var start = StartInfo(arguments);
        var cancellationToken = TestContext.Current.CancellationToken;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        if (stdin is not null)
        {
            await process.StandardInput.BaseStream.WriteAsync(stdin, cancellationToken);
        }

        process.StandardInput.Close();
        await process.WaitForExitAsync(cancellationToken);
        return new CliResult(process.ExitCode, await output, await error);
    }

    /// <summary>Starts the executable without waiting, its output read line by line as it comes.</summary>
    public RunningDockerbuild Start(params string[] arguments) => new(System.Diagnostics.Process.Start(StartInfo(arguments))!);

    private ProcessStartInfo StartInfo(string[] arguments)
    {
        var program = Executable ?? "dotnet";
        var start = new ProcessStartInfo(Launcher.Count == 0 ? program : Launcher[0])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Home,
        };
        foreach (var argument in Launcher.Skip(1).Concat(Launcher.Count == 0 ? [] : [program]))
        {
            start.ArgumentList.Add(argument);
        }

        if (Executable is null)
        {
            start.ArgumentList.Add(System.IO.Path.Combine(AppContext.BaseDirectory, "dockerbuild.dll"));
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOCKERBUILD_ROOT"] = Root;
        start.Environment["DOCKER_CONFIG"] = DockerConfig;
        start.Environment["HOME"] = Home;
        if (Path is not null)
        {
            start.Environment["PATH"] = Path;
        }
        foreach (var (name, value) in Environment)
        {
            start.Environment[name] = value;
        }

        foreach (var name in new[] { "DOCKERBUILD_REGISTRY_USER", "DOCKERBUILD_REGISTRY_PASSWORD", "DOTNET_CONTAINER_REGISTRY_UNAME", "DOTNET_CONTAINER_REGISTRY_PWORD" })
        {
            start.Environment.Remove(name);
        }

        return start;
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
