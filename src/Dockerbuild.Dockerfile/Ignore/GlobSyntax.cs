namespace Dockerbuild.Dockerfile.Ignore;

/// <summary>
/// The syntax check Docker makes on every pattern: Go's <c>filepath.Match</c> reports a bad pattern
/// (an unclosed or empty <c>[...]</c>, a range with a missing end, a trailing backslash) anywhere in
/// the pattern, whatever it is matched against.
/// </summary>
internal static class GlobSyntax
{
    public static bool IsValid(string pattern)
    {
        var rest = pattern.AsSpan();
        while (rest.Length > 0)
        {
            var chunk = NextChunk(ref rest);
            if (!IsValidChunk(chunk))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Skips leading stars and returns the text up to the next star outside brackets.</summary>
    private static ReadOnlySpan<char> NextChunk(ref ReadOnlySpan<char> pattern)
    {
        pattern = pattern.TrimStart('*');
        var inRange = false;
        var i = 0;
        for (; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\')
            {
                if (i + 1 < pattern.Length)
                {
                    i++;
                }
            }
            else if (c == '[')
            {
                inRange = true;
            }
            else if (c == ']')
            {
                inRange = false;
            }
            else if (c == '*' && !inRange)
            {
                break;
            }
        }

        var chunk = pattern[..i];
        pattern = pattern[i..];
        return chunk;
    }

    private static bool IsValidChunk(ReadOnlySpan<char> chunk)
    {
        while (chunk.Length > 0)
        {
            switch (chunk[0])
            {
                case '[':
                    chunk = chunk[1..];
                    if (chunk.Length > 0 && chunk[0] == '^')
                    {
                        chunk = chunk[1..];
                    }

                    for (var ranges = 0; ; ranges++)
                    {
                        if (chunk.Length > 0 && chunk[0] == ']' && ranges > 0)
                        {
                            chunk = chunk[1..];
                            break;
                        }

                        if (!TakeClassChar(ref chunk))
                        {
                            return false;
                        }

                        if (chunk[0] == '-' && !TakeClassChar(ref chunk, skip: 1))
                        {
                            return false;
                        }
                    }

                    break;
                case '\\':
                    if (chunk.Length == 1)
                    {
                        return false;
                    }

                    chunk = chunk[2..];
                    break;
                default:
                    chunk = chunk[1..];
                    break;
            }
        }

        return true;
    }

    /// <summary>One (possibly escaped) character of a class; the class must go on after it.</summary>
    private static bool TakeClassChar(ref ReadOnlySpan<char> chunk, int skip = 0)
    {
        chunk = chunk[skip..];
        if (chunk.Length == 0 || chunk[0] == '-' || chunk[0] == ']')
        {
            return false;
        }

        if (chunk[0] == '\\')
        {
            chunk = chunk[1..];
            if (chunk.Length == 0)
            {
                return false;
            }
        }

        var width = char.IsHighSurrogate(chunk[0]) && chunk.Length > 1 && char.IsLowSurrogate(chunk[1]) ? 2 : 1;
        chunk = chunk[width..];
        return chunk.Length > 0;
    }
}
