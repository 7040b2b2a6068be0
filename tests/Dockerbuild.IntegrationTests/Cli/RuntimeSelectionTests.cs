using Dockerbuild.Oci.Unix;
using Dockerbuild.Testing;

namespace Dockerbuild.IntegrationTests.Cli;

/// <summary>
/// "runc by default, or another runtime configured (such as crun)": --runtime and DOCKERBUILD_RUNTIME
/// choose the binary for RUN and for dockerbuild run. crun itself cannot run on this machine's hybrid
/// cgroups, so the other runtime is a wrapper around runc that records each call.
/// </summary>
public sealed class RuntimeSelectionTests
{
    [Fact]
    public async Task RuntimeOptionAndVariableChooseTheBinaryForRunStepsAndForRun()
    {
        using var cli = new DockerbuildProcess();
        var context = await BusyboxContext.CreateAsync(cli.Home, BusyboxContext.Base + "RUN echo ran > /ran\nCMD [\"/bin/busybox\", \"cat\", \"/ran\"]\n");
        var byOption = await WrapperAsync(cli.Home, "by-option");
        var byVariable = await WrapperAsync(cli.Home, "by-variable");

        var built = await cli.RunAsync("build", "-q", "-t", "chosen:1", "--runtime", byOption.Path, context);
        Assert.True(built.ExitCode == 0, built.Err);
        Assert.Contains(" run --bundle ", await File.ReadAllTextAsync(byOption.Calls, TestContext.Current.CancellationToken), StringComparison.Ordinal);

        cli.Environment["DOCKERBUILD_RUNTIME"] = byVariable.Path;
        var rebuilt = await cli.RunAsync("build", "-q", "--no-cache", context);
        Assert.True(rebuilt.ExitCode == 0, rebuilt.Err);
        Assert.Contains(" run --bundle ", await File.ReadAllTextAsync(byVariable.Calls, TestContext.Current.CancellationToken), StringComparison.Ordinal);

        File.Delete(byOption.Calls);
        var run = await cli.RunAsync("run", "--rm", "--runtime", byOption.Path, "chosen:1");
        Assert.True(run.ExitCode == 0, run.Err);
        Assert.Equal("ran\n", run.Out);
        Assert.Contains(" run --bundle ", await File.ReadAllTextAsync(byOption.Calls, TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMissingRuntimeIsOneErrorNamingIt()
    {
        using var cli = new DockerbuildProcess();
        var context = await BusyboxContext.CreateAsync(cli.Home, BusyboxContext.Base + "RUN true\n");

        var result = await cli.RunAsync("build", "-q", "--runtime", "no-such-runtime", context);

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("ERROR: The OCI runtime 'no-such-runtime' was not found", line, StringComparison.Ordinal);
    }

    private static async Task<(string Path, string Calls)> WrapperAsync(string directory, string name)
    {
        var runc = Require.Executable("runc", "runc");
        var path = System.IO.Path.Combine(directory, name);
        var calls = path + ".calls";
        await File.WriteAllTextAsync(path, $"#!/bin/sh\necho \"$@\" >> '{calls}'\nexec '{runc}' \"$@\"\n", TestContext.Current.CancellationToken);
        UnixFiles.Chmod(path, 0b111_101_101);
        return (path, calls);
    }
}
