namespace Dockerbuild.Dockerfile.Instructions;

/// <summary>What COPY and ADD copy and where to: the last argument is the destination, the rest are sources.</summary>
/// <param name="Paths">Sources as written (paths, globs; for ADD also URLs and git refs).</param>
/// <param name="Contents">Sources given inline as heredocs.</param>
/// <param name="Destination">The destination as written (relative to WORKDIR).</param>
public sealed record SourcesAndDestination(IReadOnlyList<string> Paths, IReadOnlyList<InlineSource> Contents, string Destination);
