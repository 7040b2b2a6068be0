namespace Dockerbuild.Engine.Runtime;

/// <summary>
/// One extra mount of a RUN. Missing targets (and their parents) are created by the runtime and
/// removed again after the run, so they do not reach the layer.
/// </summary>
public sealed record ContainerMount
{
    /// <summary>Absolute path inside the container.</summary>
    public required string Destination { get; init; }

    public required ContainerMountType Type { get; init; }

    /// <summary>The host path for a bind; unused for tmpfs.</summary>
    public string? Source { get; init; }

    public bool ReadOnly { get; init; }

    /// <summary>tmpfs size in bytes; the kernel's default (half of RAM) when null.</summary>
    public long? SizeBytes { get; init; }

    public static ContainerMount Bind(string source, string destination, bool readOnly) =>
        new() { Type = ContainerMountType.Bind, Source = Path.GetFullPath(source), Destination = destination, ReadOnly = readOnly };

    public static ContainerMount Tmpfs(string destination, long? sizeBytes = null) =>
        new() { Type = ContainerMountType.Tmpfs, Destination = destination, SizeBytes = sizeBytes };
}
