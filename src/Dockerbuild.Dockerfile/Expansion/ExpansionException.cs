namespace Dockerbuild.Dockerfile.Expansion;

/// <summary>A word could not be expanded (unterminated quote, bad substitution, <c>${X:?msg}</c>).
/// The binder wraps it in a <see cref="DockerfileException"/> with the instruction's span.</summary>
public sealed class ExpansionException(string message) : Exception(message);
