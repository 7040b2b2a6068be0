using Dockerbuild.Engine.Runtime;

namespace Dockerbuild.Engine.Execution;

/// <summary>What <c>dockerbuild run</c> asks of <see cref="ImageRunner"/>: docker run's options that apply to a one-off container.</summary>
public sealed record RunRequest
{
    /// <summary>A name, ID or digest reference, pulled when missing locally.</summary>
    public required string Image { get; init; }

    /// <summary>The arguments after the image; when given they replace the image's Cmd.</summary>
    public IReadOnlyList<string> Command { get; init; } = [];

    /// <summary>--entrypoint: null keeps the image's; otherwise it replaces it (empty clears it) and the image's Cmd is dropped.</summary>
    public string? Entrypoint { get; init; }

    /// <summary>-e KEY=VALUE entries, applied over the image's Env.</summary>
    public IReadOnlyList<string> Env { get; init; } = [];

    /// <summary>-w: an absolute path; null keeps the image's WorkingDir.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>-u: name or uid[:group]; null keeps the image's User.</summary>
    public string? User { get; init; }

    public NetworkMode Network { get; init; } = NetworkMode.Default;

    /// <summary>--sig-proxy: signals sent here reach the container's process while it runs; null sends none.</summary>
    public ContainerSignals? Signals { get; init; }
}
