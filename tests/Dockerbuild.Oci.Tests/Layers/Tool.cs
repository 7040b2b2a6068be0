using Dockerbuild.Testing;
using System.Diagnostics;

namespace Dockerbuild.Oci.Tests.Layers;

/// <summary>Runs a real tool (gzip, zstd, GNU tar) as an independent check of what we write.</summary>
internal static class Tool
{
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string executable, string[] arguments, string? stdinFile = null)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdinFile is not null,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        if (stdinFile is not null)
        {
            await using (var input = File.OpenRead(stdinFile))
            {
                await input.CopyToAsync(process.StandardInput.BaseStream, TestContext.Current.CancellationToken);
            }

            process.StandardInput.Close();
        }

        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>The sha256 of what <paramref name="executable"/> writes to stdout, computed by sha256sum.</summary>
    public static async Task<string> Sha256OfOutputAsync(string executable, params string[] arguments)
    {
        var sha256sum = Require.Executable("sha256sum", "coreutils");
        var script = $"'{executable}' {string.Join(' ', arguments.Select(a => $"'{a}'"))} | '{sha256sum}'";
        var (exit, stdout, stderr) = await RunAsync(Require.Executable("bash", "bash"), ["-c", "set -o pipefail; " + script]);
        Assert.True(exit == 0, stderr);
        return "sha256:" + stdout.Split(' ')[0];
    }
}
