using System.Runtime.ExceptionServices;

namespace Dockerbuild.Engine.Runtime;

/// <summary>
/// Hands container output to the caller one line at a time. If the caller's callback fails, later
/// lines are dropped but the pipes keep being drained (a container blocked on a full pipe would never
/// exit), and the failure is rethrown once the container has ended.
/// </summary>
internal sealed class OutputSink(Func<OutputLine, ValueTask>? onOutput)
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private ExceptionDispatchInfo? failure;

    public async ValueTask WriteAsync(OutputLine line)
    {
        if (onOutput is null || failure is not null)
        {
            return;
        }

        await gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            if (failure is null)
            {
                await onOutput(line).ConfigureAwait(false);
            }
        }
        catch (Exception e)
        {
            failure = ExceptionDispatchInfo.Capture(e);
        }
        finally
        {
            gate.Release();
        }
    }

    public void ThrowIfFailed() => failure?.Throw();
}
