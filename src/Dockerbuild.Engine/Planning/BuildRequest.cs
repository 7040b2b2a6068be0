namespace Dockerbuild.Engine.Planning;

/// <summary>What <c>dockerbuild build</c> is asked to do (docker buildx build's inputs).</summary>
public sealed record BuildRequest
{
    /// <summary>The build context directory.</summary>
    public required string ContextDirectory { get; init; }

    /// <summary>The Dockerfile; <c>Dockerfile</c> in the context when null.</summary>
    public string? DockerfilePath { get; init; }

    public IReadOnlyDictionary<string, string> BuildArgs { get; init; } = new Dictionary<string, string>();

    /// <summary>The stage to build; the last one when null.</summary>
    public string? Target { get; init; }

    /// <summary>Names to tag the result with (<c>-t</c>).</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    public bool NoCache { get; init; }

    /// <summary>Stage names whose steps ignore the cache (<c>--no-cache-filter</c>).</summary>
    public IReadOnlyList<string> NoCacheFilter { get; init; } = [];

    /// <summary>Pull registry bases even when present locally.</summary>
    public bool Pull { get; init; }

    /// <summary>Labels added to the final image (<c>--label</c>).</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// <c>os/arch[/variant]</c>: linux/amd64 natively, another Linux architecture when RUN steps can go through
    /// an emulator; a comma-separated list of several builds an image index (<see cref="BuildPlanner.TargetPlatforms"/>).
    /// </summary>
    public string? Platform { get; init; }

    public IReadOnlyList<BuildSecret> Secrets { get; init; } = [];

    /// <summary>Agents forwarded with <c>--ssh</c> to <c>RUN --mount=type=ssh</c>, by id.</summary>
    public IReadOnlyList<BuildSshAgent> Ssh { get; init; } = [];

    /// <summary><c>--build-context NAME=PATH|docker-image://REF</c>.</summary>
    public IReadOnlyDictionary<string, string> NamedContexts { get; init; } = new Dictionary<string, string>();

    /// <summary>Entitlements granted with <c>--allow</c> (<c>security.insecure</c>, <c>network.host</c>).</summary>
    public IReadOnlyList<string> Allow { get; init; } = [];

    /// <summary><c>--output</c> specs, handed to the exporters; the local image store always gets the image.</summary>
    public IReadOnlyList<string> Outputs { get; init; } = [];

    /// <summary>Where the Dockerfile is: the explicit path, else <c>Dockerfile</c> in the context.</summary>
    public string ResolveDockerfilePath() =>
        Path.GetFullPath(DockerfilePath ?? Path.Combine(ContextDirectory, "Dockerfile"));
}
