namespace Dockerbuild.Engine.Runtime;

/// <summary>One process to run in a root filesystem: what BuildKit's executor.Meta and mounts carry.</summary>
public sealed record ContainerSpec
{
    /// <summary>The prepared root filesystem (a snapshot's RootfsPath).</summary>
    public required string RootfsPath { get; init; }

    /// <summary>argv; the first is looked up in the container's PATH by the runtime.</summary>
    public required IReadOnlyList<string> Args { get; init; }

    /// <summary>KEY=value entries, exactly as the process gets them.</summary>
    public IReadOnlyList<string> Env { get; init; } = [];

    public string WorkingDirectory { get; init; } = "/";

    /// <summary>Resolve names with <see cref="UserResolver"/> first.</summary>
    public ContainerUser User { get; init; } = ContainerUser.Root;

    public string Hostname { get; init; } = HostFiles.DefaultHostname;

    public NetworkMode Network { get; init; } = NetworkMode.Default;

    /// <summary>RUN --security=insecure: BuildKit's insecure spec (every capability, nothing masked, devices allowed, /sys and cgroups writable).</summary>
    public bool Privileged { get; init; }

    public IReadOnlyList<ContainerMount> Mounts { get; init; } = [];

    /// <summary>--add-host entries appended to the generated /etc/hosts.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ExtraHosts { get; init; } = [];

    /// <summary>
    /// Signals to forward to the process while it runs (docker run's signal proxy); null for builds,
    /// where only cancellation stops a RUN, by killing it.
    /// </summary>
    public ContainerSignals? Signals { get; init; }
}
