using Dockerbuild.Engine.Runtime;

namespace Dockerbuild.Engine.Execution;

/// <summary>What a RUN's mounts add to its container, and what must be released after it ran.</summary>
/// <param name="WorkingDirectory">The stage's WORKDIR, against which relative mount targets are taken.</param>
/// <param name="PrivateDirectory">Per-RUN files (secrets, copies of read-write file binds), deleted after the run.</param>
internal sealed record RunMountSet(string WorkingDirectory, string PrivateDirectory)
{
    public List<ContainerMount> Mounts { get; } = [];

    /// <summary>Secret variables, which override the RUN's environment.</summary>
    public Dictionary<string, string> Env { get; } = new(StringComparer.Ordinal);

    /// <summary>The first ssh mount's target, the RUN's SSH_AUTH_SOCK unless its environment sets one.</summary>
    public string? SshAuthSock { get; set; }

    public List<IAsyncDisposable> Releases { get; } = [];
}
