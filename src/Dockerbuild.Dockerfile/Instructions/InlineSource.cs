namespace Dockerbuild.Dockerfile.Instructions;

/// <summary>A COPY/ADD source given inline as a heredoc: a file named <paramref name="Path"/> holding <paramref name="Data"/>
/// (leading tabs already removed for <c>&lt;&lt;-</c>).</summary>
/// <param name="Expand">False when the heredoc delimiter was quoted, so variables in the body stay as written.</param>
public sealed record InlineSource(string Path, string Data, bool Expand);
