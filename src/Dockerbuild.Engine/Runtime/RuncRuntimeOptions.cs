namespace Dockerbuild.Engine.Runtime;

/// <summary>How <see cref="RuncRuntime"/> calls the OCI runtime binary.</summary>
public sealed record RuncRuntimeOptions
{
    /// <summary>A name looked up on PATH (and /usr/sbin, /sbin) or a path: "runc", "crun", ...</summary>
    public string Binary { get; init; } = "runc";

    /// <summary>Where bundles and the runtime's state live (its --root); a private temp directory when null.</summary>
    public string? StateRoot { get; init; }

    /// <summary>
    /// Run in a new user namespace with <see cref="IdMappings"/>. Null decides by the process: rootless
    /// when not root. Inside a user namespace where this process is root (rootlesskit, unshare -r) no
    /// further namespace is needed.
    /// </summary>
    public bool? Rootless { get; init; }

    /// <summary>Rootless ranges; only the caller's own uid and gid mapped to 0 when null.</summary>
    public IReadOnlyList<IdMapping>? IdMappings { get; init; }

    /// <summary>The host file the container's resolv.conf is made from.</summary>
    public string HostResolvConf { get; init; } = "/etc/resolv.conf";
}
