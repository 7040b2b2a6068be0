namespace Dockerbuild.Testing.Registry;

/// <summary>A request seen by the <see cref="FaultProxy"/>: status 0 when no response was sent.</summary>
public sealed record ProxiedRequest(string Method, string Path, int Status, FaultKind? Fault, string? Range, string? ContentRange)
{
    public bool IsBlobRequest => Path.Contains("/blobs/", StringComparison.Ordinal);
}
