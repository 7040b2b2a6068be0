namespace Dockerbuild.Engine.Runtime;

/// <summary>Runs one process in a prepared root filesystem, as BuildKit's executor does for a RUN.</summary>
public interface IOciRuntime
{
    /// <summary>
    /// Runs <paramref name="spec"/> to completion. Output lines reach <paramref name="onOutput"/> as they
    /// are written, one call at a time. Mount stubs created for the run are removed from the rootfs
    /// before this returns. Cancelling kills the container and throws <see cref="OperationCanceledException"/>;
    /// signals sent to <see cref="ContainerSpec.Signals"/> while it runs are delivered to its process,
    /// which may go on running, and this still returns its exit code.
    /// </summary>
    /// <returns>The exit code; a failing command is a result, not an exception.</returns>
    /// <exception cref="ContainerRuntimeException">The runtime could not start the container.</exception>
    Task<ContainerResult> RunAsync(ContainerSpec spec, Func<OutputLine, ValueTask>? onOutput, CancellationToken cancellationToken);
}
