namespace Dockerbuild.Dockerfile.Ignore;

/// <summary>
/// A parsed <c>.dockerignore</c> (or the patterns of a <c>COPY --exclude</c>), matching paths as
/// Docker does (moby/patternmatcher's <c>MatchesOrParentMatches</c>): patterns apply in order and the
/// last one that matches a path, or any of its parent directories, decides; <c>!</c> patterns
/// re-include. Immutable and safe to share between threads.
/// </summary>
public sealed class DockerIgnore
{
    private DockerIgnore(IReadOnlyList<IgnorePattern> patterns)
    {
        Patterns = patterns;
        HasExceptions = patterns.Any(p => p.IsException);
    }

    /// <summary>Excludes nothing.</summary>
    public static DockerIgnore Empty { get; } = new([]);

    /// <summary>The patterns in file order, cleaned.</summary>
    public IReadOnlyList<IgnorePattern> Patterns { get; }

    /// <summary>Whether any pattern starts with <c>!</c>.</summary>
    public bool HasExceptions { get; }

    /// <summary>Parses the text of a <c>.dockerignore</c> file: one pattern a line, surrounding
    /// whitespace trimmed, blank lines and lines starting with <c>#</c> skipped, each pattern
    /// cleaned as a path with a leading <c>/</c> removed.</summary>
    /// <exception cref="IgnorePatternException">A pattern is malformed.</exception>
    public static DockerIgnore Parse(string text) => FromPatterns(ReadPatternLines(text));

    /// <summary>Builds a matcher from patterns as given (as <c>COPY --exclude</c> passes them).</summary>
    /// <exception cref="IgnorePatternException">A pattern is malformed.</exception>
    public static DockerIgnore FromPatterns(IEnumerable<string> patterns)
    {
        var compiled = new List<IgnorePattern>();
        foreach (var raw in patterns)
        {
            var pattern = raw.Trim();
            if (pattern.Length == 0)
            {
                continue;
            }

            pattern = GoPath.Clean(pattern);
            var isException = pattern[0] == '!';
            if (isException)
            {
                if (pattern.Length == 1)
                {
                    throw new IgnorePatternException("illegal exclusion pattern: \"!\"");
                }

                pattern = pattern[1..];
            }

            if (!GlobSyntax.IsValid(pattern))
            {
                throw new IgnorePatternException($"syntax error in pattern \"{pattern}\"");
            }

            compiled.Add(new IgnorePattern(pattern, isException));
        }

        return compiled.Count == 0 ? Empty : new DockerIgnore(compiled);
    }

    /// <summary>Whether the file or directory at <paramref name="relativePath"/> (relative to the
    /// context, slash-separated) is left out. The context root itself never is.</summary>
    public bool IsExcluded(string relativePath)
    {
        var file = GoPath.Clean(relativePath);
        if (file == "." || Patterns.Count == 0)
        {
            return false;
        }

        var parents = ParentPrefixes(file);
        var excluded = false;
        foreach (var pattern in Patterns)
        {
            // An include cannot change an excluded path, nor an exception a path still included.
            if (pattern.IsException != excluded)
            {
                continue;
            }

            if (pattern.Matches(file) || parents.Any(pattern.Matches))
            {
                excluded = !pattern.IsException;
            }
        }

        return excluded;
    }

    /// <summary>Whether a context walker may skip the directory at <paramref name="relativeDirectory"/>
    /// without looking inside: it is excluded and no <c>!</c> pattern could re-include anything below
    /// it. When false for an excluded directory, walk it and ask <see cref="IsExcluded"/> per entry.</summary>
    public bool CanSkipDirectory(string relativeDirectory)
    {
        if (!IsExcluded(relativeDirectory))
        {
            return false;
        }

        var below = GoPath.Clean(relativeDirectory) + "/";
        foreach (var pattern in Patterns)
        {
            if (!pattern.IsException)
            {
                continue;
            }

            // The text before the first wildcard is all an exception is sure to start with; when it
            // and the directory could be on one path, something below might be re-included.
            var literal = LiteralPrefix(pattern.Text);
            if (literal.StartsWith(below, StringComparison.Ordinal) || below.StartsWith(literal, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The lines of a <c>.dockerignore</c> as moby's <c>ignorefile.ReadAll</c> returns them.</summary>
    internal static IReadOnlyList<string> ReadPatternLines(string text)
    {
        var patterns = new List<string>();
        if (text.StartsWith('\uFEFF'))
        {
            text = text[1..];
        }

        var lines = text.Split('\n');
        var count = text.EndsWith('\n') ? lines.Length - 1 : lines.Length;
        for (var i = 0; i < count; i++)
        {
            var line = lines[i].EndsWith('\r') ? lines[i][..^1] : lines[i];

            // A comment is a # in the first column, before any trimming.
            if (line.StartsWith('#'))
            {
                continue;
            }

            var pattern = line.Trim();
            if (pattern.Length == 0)
            {
                continue;
            }

            var invert = pattern[0] == '!';
            if (invert)
            {
                pattern = pattern[1..].Trim();
            }

            if (pattern.Length > 0)
            {
                // Patterns are relative to the context even when written from the root.
                pattern = GoPath.Clean(pattern);
                if (pattern.Length > 1 && pattern[0] == '/')
                {
                    pattern = pattern[1..];
                }
            }

            patterns.Add(invert ? "!" + pattern : pattern);
        }

        return patterns;
    }

    /// <summary>Each ancestor of a cleaned path, outermost first, as Go's
    /// <c>strings.Join(parentPathDirs[:i+1], "/")</c> spells them.</summary>
    private static List<string> ParentPrefixes(string file)
    {
        var parent = GoPath.Dir(file);
        var prefixes = new List<string>();
        if (parent == ".")
        {
            return prefixes;
        }

        for (var i = parent.IndexOf('/'); i >= 0; i = parent.IndexOf('/', i + 1))
        {
            prefixes.Add(parent[..i]);
        }

        prefixes.Add(parent);
        return prefixes;
    }

    private static string LiteralPrefix(string pattern)
    {
        var end = pattern.AsSpan().IndexOfAny("*?[\\");
        return end < 0 ? pattern : pattern[..end];
    }
}
