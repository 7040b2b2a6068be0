namespace Dockerbuild.Dockerfile.Syntax;

/// <summary>An instruction line split into keyword, leading flags and the rest (BuildKit's splitCommand).</summary>
/// <param name="Keyword">The keyword as written.</param>
/// <param name="KeywordOffset">Where the keyword starts in the line.</param>
/// <param name="Flags">The leading <c>--</c> words, quotes removed and backslash escapes applied.</param>
/// <param name="Arguments">Everything after the flags, trimmed.</param>
/// <param name="ArgumentsOffset">Where <paramref name="Arguments"/> starts in the line.</param>
internal sealed record CommandLine(
    string Keyword,
    int KeywordOffset,
    IReadOnlyList<string> Flags,
    string Arguments,
    int ArgumentsOffset);
