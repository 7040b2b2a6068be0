namespace Dockerbuild.Dockerfile.Ignore;

/// <summary>A <c>.dockerignore</c> or <c>COPY --exclude</c> pattern is malformed; the message names it.</summary>
public sealed class IgnorePatternException(string message) : Exception(message);
