using Dockerbuild.Testing;

namespace Dockerbuild.IntegrationTests.Cli;

/// <summary>
/// <c>dockerbuild run</c> through the executable with real runc, on an image imported from a busybox
/// rootfs: docker run's rules for the command, environment, working directory, user and exit codes.
/// </summary>
public sealed class RunTests
{
    [Fact]
    public async Task RunsTheImagesEntrypointAndCmdAndPrintsTheirOutput()
    {
        using var cli = await ImageAsync("CMD [\"echo\", \"from cmd\"]", "ENTRYPOINT [\"/bin/sh\", \"-c\", \"echo entry $0 $1\"]");

        var result = (await cli.RunAsync("run", "--rm", "app")).Succeeded();

        // ENTRYPOINT set after CMD resets it in a Dockerfile, but docker import's --change keeps both.
        Assert.Equal(["entry echo from cmd"], result.Lines);
    }

    [Fact]
    public async Task ArgumentsReplaceCmdAndOptionsAfterTheImageGoToTheCommand()
    {
        using var cli = await ImageAsync("CMD [\"echo\", \"from cmd\"]");

        var result = (await cli.RunAsync("run", "app", "sh", "-c", "echo out; echo err >&2")).Succeeded();

        Assert.Equal(["out"], result.Lines);
        Assert.Contains("err", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheContainersExitCodeBecomesTheCommands()
    {
        using var cli = await ImageAsync();

        var result = await cli.RunAsync("run", "app", "sh", "-c", "echo before; exit 42");

        Assert.Equal(42, result.ExitCode);
        Assert.Equal(["before"], result.Lines);
    }

    [Fact]
    public async Task EnvWorkdirAndUserComeFromTheImageAndTheOptionsOverrideThem()
    {
        using var cli = await ImageAsync("ENV GREETING=hello OTHER=kept", "WORKDIR /srv/app", "USER 1000:1000");
        const string show = "echo $GREETING $OTHER; pwd; id -u; id -g";

        var fromImage = (await cli.RunAsync("run", "app", "sh", "-c", show)).Succeeded();
        Assert.Equal(["hello kept", "/srv/app", "1000", "1000"], fromImage.Lines);

        var overridden = (await cli.RunAsync("run", "-e", "GREETING=bye", "-e", "NEW=1", "-w", "/tmp/new", "-u", "0:0", "app", "sh", "-c", show + "; echo $NEW")).Succeeded();
        Assert.Equal(["bye kept", "/tmp/new", "0", "0", "1"], overridden.Lines);
    }

    [Fact]
    public async Task EntrypointOptionReplacesTheEntrypointAndDropsTheImagesCmd()
    {
        using var cli = await ImageAsync("ENTRYPOINT [\"/bin/sh\", \"-c\", \"echo image entrypoint\"]", "CMD [\"ignored\"]");

        var result = (await cli.RunAsync("run", "--entrypoint", "/bin/busybox", "app", "echo", "replaced", "entrypoint")).Succeeded();
        Assert.Equal(["replaced entrypoint"], result.Lines);

        // The image's CMD is dropped even with no arguments: sh alone reads its (empty) stdin and exits,
        // where "sh ignored" would fail.
        var bare = (await cli.RunAsync("run", "--entrypoint", "/bin/sh", "app")).Succeeded();
        Assert.Equal("", bare.Out + bare.Err);
    }

    [Fact]
    public async Task AnImageWithNoCommandAndNoArgumentsIsDockersError125()
    {
        using var cli = await ImageAsync();

        var result = await cli.RunAsync("run", "app");

        Assert.Equal(125, result.ExitCode);
        Assert.Equal(["dockerbuild: no command specified"], result.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task ACommandNotFoundExits127AndANonExecutableOne126WithOneErrorLine()
    {
        using var cli = await ImageAsync();

        var missing = await cli.RunAsync("run", "app", "no-such-command");
        Assert.Equal(127, missing.ExitCode);
        var line = Assert.Single(missing.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("dockerbuild: ", line, StringComparison.Ordinal);
        Assert.Contains("no-such-command", line, StringComparison.Ordinal);

        var notExecutable = await cli.RunAsync("run", "app", "/etc/passwd");
        Assert.Equal(126, notExecutable.ExitCode);
        Assert.Single(notExecutable.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task AnImageMissingLocallyIsPulledAndAnUnreachableRegistryIsOneError()
    {
        using var cli = new DockerbuildProcess();
        var port = Dockerbuild.Testing.Registry.LoopbackPort.Next();

        var result = await cli.RunAsync("run", $"127.0.0.1:{port}/missing/image:1", "true");

        Assert.Equal(125, result.ExitCode);
        var lines = result.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"Unable to find image '127.0.0.1:{port}/missing/image:1' locally", lines[0]);
        Assert.StartsWith("dockerbuild: ", lines[1], StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{port}/missing/image:1", lines[1], StringComparison.Ordinal);
        Assert.Equal(2, lines.Length);
    }

    [Fact]
    public async Task AnImageMissingLocallyIsPulledFromTheRegistry()
    {
        await using var registry = await Dockerbuild.Testing.Registry.RegistryServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var cli = await ImageAsync("CMD [\"/bin/busybox\", \"echo\", \"pulled and ran\"]");
        var remote = $"{registry.Host}/run/app:1";
        (await cli.RunAsync("tag", "app", remote)).Succeeded();
        (await cli.RunAsync("push", remote)).Succeeded();
        cli.Root = Path.Combine(cli.Home, "fresh-store");

        var result = (await cli.RunAsync("run", remote)).Succeeded();

        Assert.Equal(["pulled and ran"], result.Lines);
        Assert.Contains($"Unable to find image '{remote}' locally", result.Err, StringComparison.Ordinal);
        Assert.Contains("run/app", (await cli.RunAsync("images")).Succeeded().Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NetworkNoneHasOnlyLoopback()
    {
        using var cli = await ImageAsync();

        var result = (await cli.RunAsync("run", "--network", "none", "--name", "probe_1", "app", "sh", "-c", "ls /sys/class/net")).Succeeded();

        Assert.Equal(["lo"], result.Lines);
        Assert.Equal(125, (await cli.RunAsync("run", "--name", "bad name!", "app", "true")).ExitCode);
    }

    [Fact]
    public async Task SigtermIsForwardedToTheContainerWhoseExitCodeEndsTheRun()
    {
        using var cli = await SignalledImageAsync();
        // sh runs a trap only between commands, hence sleep in the background and the interruptible wait.
        var (exitCode, lines) = await TerminateOnceAsync(cli, "started", "run", "app", "sh", "-c", "trap 'echo got TERM; exit 7' TERM; echo started; sleep 1000 & wait");

        // docker run --sig-proxy=true (its default): the container handles the signal and its exit code is the run's.
        Assert.Equal(7, exitCode);
        Assert.Contains("got TERM", lines);
        Assert.DoesNotContain("dockerbuild: cancelled", lines);
        await AssertNothingLeftAsync(cli);
    }

    [Fact]
    public async Task WithoutSigProxySigtermKillsTheContainerAndRemovesItsSnapshot()
    {
        using var cli = await SignalledImageAsync();
        var (exitCode, lines) = await TerminateOnceAsync(cli, "started", "run", "--sig-proxy=false", "app", "sh", "-c", "trap 'echo got TERM' TERM; echo started; sleep 1000 & wait");

        Assert.Equal(130, exitCode);
        Assert.Contains("dockerbuild: cancelled", lines);
        Assert.DoesNotContain("got TERM", lines);
        await AssertNothingLeftAsync(cli);
    }

    [Fact]
    public async Task SigtermStillCancelsABuildAndKillsItsRunStep()
    {
        using var cli = await SignalledImageAsync();
        var context = Directory.CreateDirectory(Path.Combine(cli.Home, "context")).FullName;
        // The markers are computed, so the step's own command line in the progress does not match them.
        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), "FROM app\nRUN trap 'echo trapped-$((6+1))' TERM; echo up-$((40+2)); sleep 1000 & wait\n", TestContext.Current.CancellationToken);
        var (exitCode, lines) = await TerminateOnceAsync(cli, "up-42", "build", "--progress=plain", context);

        Assert.Equal(130, exitCode);
        Assert.Contains("dockerbuild: cancelled", lines);
        Assert.DoesNotContain(lines, line => line.Contains("trapped-7", StringComparison.Ordinal));
        await AssertNothingLeftAsync(cli);
    }

    /// <summary>The <c>app</c> store, with a runtime directory of its own for runc's state when not run as root.</summary>
    private static async Task<DockerbuildProcess> SignalledImageAsync()
    {
        var cli = await ImageAsync();
        cli.Environment["XDG_RUNTIME_DIR"] = Path.Combine(cli.Home, "run");
        return cli;
    }

    /// <summary>Starts dockerbuild with <paramref name="arguments"/>, sends it SIGTERM once it prints <paramref name="ready"/>, and waits for it to end.</summary>
    private static async Task<(int ExitCode, IReadOnlyList<string> Lines)> TerminateOnceAsync(DockerbuildProcess cli, string ready, params string[] arguments)
    {
        using var running = cli.Start(arguments);
        await running.WaitForLineAsync(ready);
        await running.SignalAsync("TERM");
        return await running.WaitForExitAsync();
    }

    /// <summary>No snapshot (so no overlay mount) in the store, and no container of it known to runc.</summary>
    private static async Task AssertNothingLeftAsync(DockerbuildProcess cli)
    {
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(cli.Root, "work", "snapshots")));

        // RuncRuntime's state root is /run/... as the real root, else under XDG_RUNTIME_DIR. The former is
        // shared by every root dockerbuild on the machine, so only containers whose rootfs is in this store count.
        foreach (var state in (string[])["/run/dockerbuild/runtime/state", Path.Combine(cli.Home, "run", "dockerbuild", "runtime", "state")])
        {
            if (!Directory.Exists(state))
            {
                continue;
            }

            var list = await ExternalTool.OutputAsync(Require.Executable("runc", "runc"), "--root", state, "list", "--format", "json");
            using var containers = System.Text.Json.JsonDocument.Parse(list);
            Assert.DoesNotContain(
                containers.RootElement.ValueKind == System.Text.Json.JsonValueKind.Array ? containers.RootElement.EnumerateArray() : [],
                container => container.GetProperty("rootfs").GetString()!.StartsWith(cli.Root, StringComparison.Ordinal));
        }
    }

    /// <summary>A store holding <c>app</c>: the busybox rootfs imported with <paramref name="changes"/>.</summary>
    private static async Task<DockerbuildProcess> ImageAsync(params string[] changes)
    {
        Require.Executable("runc", "runc");
        var cli = new DockerbuildProcess();
        var arguments = new List<string> { "import" };
        foreach (var change in changes)
        {
            arguments.AddRange(["-c", change]);
        }

        arguments.AddRange([await RootfsTarball.WriteAsync(cli.Home), "app"]);
        (await cli.RunAsync([.. arguments])).Succeeded();
        return cli;
    }
}
