namespace Dockerbuild.Dockerfile.Instructions;

/// <summary>One name declared by ARG, with its default as written (null when it has none).</summary>
public sealed record ArgDeclaration(string Name, string? DefaultValue);
