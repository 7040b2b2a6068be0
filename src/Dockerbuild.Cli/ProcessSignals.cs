using System.Runtime.InteropServices;
using Dockerbuild.Engine.Runtime;

namespace Dockerbuild.Cli;

/// <summary>
/// The signals this process handles. By default SIGINT (Ctrl+C), SIGTERM, SIGQUIT, SIGHUP, SIGUSR1 and
/// SIGUSR2 cancel the command, so a build or run kills its container and removes its snapshot rather
/// than dying with them in place. While <c>dockerbuild run</c> proxies signals (docker's --sig-proxy),
/// each is forwarded to the container instead, every time it arrives: docker's ForwardAllSignals never
/// kills on its own, so a second Ctrl+C is forwarded again and the run ends only when the container
/// exits (--sig-proxy=false keeps Ctrl+C's kill).
/// </summary>
internal sealed class ProcessSignals : IDisposable
{
    // .NET names the portable ones; USR1 and USR2 are raw numbers, the same on every Linux architecture .NET runs on.
    private static readonly (PosixSignal Signal, string Name)[] Handled =
    [
        (PosixSignal.SIGINT, "INT"),
        (PosixSignal.SIGTERM, "TERM"),
        (PosixSignal.SIGQUIT, "QUIT"),
        (PosixSignal.SIGHUP, "HUP"),
        ((PosixSignal)10, "USR1"),
        ((PosixSignal)12, "USR2"),
    ];

    private readonly CancellationTokenSource cancel;
    private readonly List<PosixSignalRegistration> registrations = [];
    private ContainerSignals? proxy;

    public ProcessSignals(CancellationTokenSource cancel)
    {
        this.cancel = cancel;
        foreach (var (signal, name) in Handled)
        {
            if (OperatingSystem.IsWindows() && signal is not (PosixSignal.SIGINT or PosixSignal.SIGTERM or PosixSignal.SIGQUIT))
            {
                continue;
            }

            registrations.Add(PosixSignalRegistration.Create(signal, context =>
            {
                context.Cancel = true;
                if (Volatile.Read(ref proxy)?.TrySend(name) != true)
                {
                    // No container running yet (pulling, preparing its rootfs) or any more: stop as a build does.
                    this.cancel.Cancel();
                }
            }));
        }
    }

    /// <summary>Forwards the handled signals to <paramref name="signals"/> until disposed.</summary>
    public IDisposable Proxy(ContainerSignals signals)
    {
        Volatile.Write(ref proxy, signals);
        return new EndProxy(this);
    }

    public void Dispose()
    {
        foreach (var registration in registrations)
        {
            registration.Dispose();
        }
    }

    private sealed class EndProxy(ProcessSignals owner) : IDisposable
    {
        public void Dispose() => Volatile.Write(ref owner.proxy, null);
    }
}
