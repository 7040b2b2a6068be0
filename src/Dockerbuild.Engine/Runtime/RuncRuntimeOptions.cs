namespace Dockerbuild.Engine.Runtime;

/// <summary>How <see cref="RuncRuntime"/> calls the OCI runtime binary.</summary>
public sealed record RuncRuntimeOptions
{
    /// <summary>The variable that names the runtime binary when no option does (<c>DOCKERBUILD_RUNTIME=crun</c>).</summary>
    public const string BinaryVariable = "DOCKERBUILD_RUNTIME";

    /// <summary>
    /// A name looked up on PATH (and /usr/sbin, /sbin) or a path: "runc", "crun", ...; by default
    /// <see cref="BinaryVariable"/>, else runc (BuildKit's default worker runtime).
    /// </summary>
    public string Binary { get; init; } = DefaultBinary();

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

    /// <summary>Read per instance, so every runtime made in this process (builds, run, prune's cleanup) uses the same binary.</summary>
    public static string DefaultBinary() =>
        Environment.GetEnvironmentVariable(BinaryVariable) is { Length: > 0 } configured ? configured : "runc";
}
