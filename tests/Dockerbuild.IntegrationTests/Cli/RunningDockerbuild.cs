using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;

namespace Dockerbuild.IntegrationTests.Cli;

/// <summary>
/// A <c>dockerbuild</c> process still running: tests wait for a line it prints (never for a time),
/// then signal it or let it finish.
/// </summary>
internal sealed class RunningDockerbuild : IDisposable
{
    private readonly Process process;
    private readonly Channel<string> lines = Channel.CreateUnbounded<string>();
    private readonly List<string> seen = [];
    private readonly Task pumps;
    private int ended;

    public RunningDockerbuild(Process process)
    {
        this.process = process;
        process.StandardInput.Close();
        pumps = Task.WhenAll(PumpAsync(process.StandardOutput), PumpAsync(process.StandardError));
    }

    public int Id => process.Id;

    /// <summary>Waits until stdout or stderr has a line containing <paramref name="text"/>; fails if the process ends first.</summary>
    public async Task WaitForLineAsync(string text)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        while (await lines.Reader.WaitToReadAsync(cancellationToken))
        {
            while (lines.Reader.TryRead(out var line))
            {
                seen.Add(line);
                if (line.Contains(text, StringComparison.Ordinal))
                {
                    return;
                }
            }
        }

        Assert.Fail($"dockerbuild ended without printing '{text}':\n{string.Join('\n', seen)}");
    }

    /// <summary>Sends a signal (by the kill command, as a user would).</summary>
    public async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, process.Id.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>Waits for the exit; the exit code and every line printed (both streams, in arrival order).</summary>
    public async Task<(int ExitCode, IReadOnlyList<string> Lines)> WaitForExitAsync()
    {
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        await pumps;
        while (lines.Reader.TryRead(out var line))
        {
            seen.Add(line);
        }

        return (process.ExitCode, seen);
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        process.Dispose();
    }

    private async Task PumpAsync(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            await lines.Writer.WriteAsync(line);
        }

        // The second stream to end completes the channel.
        lock (lines)
        {
            if (++ended == 2)
            {
                lines.Writer.Complete();
            }
        }
    }
}
