using System.Diagnostics;
using Xunit;

namespace Dockerbuild.Testing;

/// <summary>Runs a real tool (skopeo, umoci, gzip, zstd, GNU tar) as an independent check of what we write.</summary>
public static class ExternalTool
{
    /// <summary>Runs the tool to its end, feeding it <paramref name="stdinFile"/> if given; the exit code is the caller's to judge.</summary>
    public static async Task<ToolResult> RunAsync(string executable, IEnumerable<string> arguments, string? stdinFile = null)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var start = new ProcessStartInfo(executable, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdinFile is not null,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        if (stdinFile is not null)
        {
            await using (var input = File.OpenRead(stdinFile))
            {
                await input.CopyToAsync(process.StandardInput.BaseStream, cancellationToken).ConfigureAwait(false);
            }

            process.StandardInput.Close();
        }

        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        return new ToolResult(process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
    }

    /// <summary>The tool's stdout; the test fails with its stderr when it exits non-zero.</summary>
    public static async Task<string> OutputAsync(string executable, params string[] arguments)
    {
        var (exitCode, stdout, stderr) = await RunAsync(executable, arguments).ConfigureAwait(false);
        Assert.True(exitCode == 0, $"{Path.GetFileName(executable)} {string.Join(' ', arguments)} exited with {exitCode}: {stderr}");
        return stdout;
    }

    /// <summary>The sha256 of what <paramref name="executable"/> writes to stdout, computed by sha256sum.</summary>
    public static async Task<string> Sha256OfOutputAsync(string executable, params string[] arguments)
    {
        var sha256sum = Require.Executable("sha256sum", "coreutils");
        var script = $"'{executable}' {string.Join(' ', arguments.Select(a => $"'{a}'"))} | '{sha256sum}'";
        var (exit, stdout, stderr) = await RunAsync(Require.Executable("bash", "bash"), ["-c", "set -o pipefail; " + script]).ConfigureAwait(false);
        Assert.True(exit == 0, stderr);
        return "sha256:" + stdout.Split(' ')[0];
    }
}
