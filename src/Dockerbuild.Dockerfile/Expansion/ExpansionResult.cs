namespace Dockerbuild.Dockerfile.Expansion;

/// <summary>The result of expanding one word, with which variable names were found and which were not.</summary>
public sealed record ExpansionResult(string Result, IReadOnlySet<string> Matched, IReadOnlySet<string> Unmatched);
