namespace Dockerbuild.Engine.Runtime;

/// <summary>
/// Signals for a container's main process while it runs: BuildKit's <c>ProcessInfo.Signal</c> channel,
/// used by <c>dockerbuild run</c> to proxy the signals it receives as <c>docker run --sig-proxy</c> does.
/// The runtime attaches for the life of its container; a signal sent when none is attached (before the
/// container starts, after it exits) is refused, so the caller can fall back to cancelling.
/// </summary>
public sealed class ContainerSignals
{
    private readonly Lock gate = new();
    private Action<string>? deliver;

    /// <summary>Hands <paramref name="signal"/> (a name runc kill takes: TERM, INT, HUP...) to the running container.</summary>
    /// <returns>False when no container is running to receive it.</returns>
    public bool TrySend(string signal)
    {
        ArgumentException.ThrowIfNullOrEmpty(signal);
        lock (gate)
        {
            if (deliver is null)
            {
                return false;
            }

            deliver(signal);
            return true;
        }
    }

    /// <summary>Called by the runtime once its container process exists; disposing detaches.</summary>
    /// <param name="deliver">Must not block: it is called on the thread that received the signal.</param>
    public IDisposable Attach(Action<string> deliver)
    {
        ArgumentNullException.ThrowIfNull(deliver);
        lock (gate)
        {
            if (this.deliver is not null)
            {
                throw new InvalidOperationException("A container is already attached to these signals.");
            }

            this.deliver = deliver;
        }

        return new Detach(this);
    }

    private sealed class Detach(ContainerSignals signals) : IDisposable
    {
        public void Dispose()
        {
            lock (signals.gate)
            {
                signals.deliver = null;
            }
        }
    }
}
