namespace Dockerbuild.Engine.Context;

/// <summary>
/// Go's path.Match for one path segment, the rule COPY sources follow (fsutil's ResolveWildcards
/// matches segment by segment): '*' is any run of characters, '?' one character, '[...]' a class
/// ('^' negates, ranges with '-'), '\' escapes. "**" is nothing special. A malformed pattern throws.
/// </summary>
internal static class GoGlob
{
    /// <summary>fsutil's containsWildcards: '*', '?' or '[' not escaped by a backslash.</summary>
    public static bool HasMeta(string pattern)
    {
        for (var i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] == '\\')
            {
                i++;
            }
            else if (pattern[i] is '*' or '?' or '[')
            {
                return true;
            }
        }

        return false;
    }

    public static bool Match(string pattern, string name)
    {
        var p = 0;
        var n = 0;
        var starP = -1;
        var starN = -1;
        while (n < name.Length)
        {
            if (p < pattern.Length)
            {
                var c = pattern[p];
                if (c == '*')
                {
                    starP = ++p;
                    starN = n;
                    continue;
                }

                if (c == '?')
                {
                    p++;
                    n++;
                    continue;
                }

                if (c == '[')
                {
                    var (matched, end) = MatchClass(pattern, p, name[n]);
                    if (matched)
                    {
                        p = end;
                        n++;
                        continue;
                    }
                }
                else
                {
                    if (c == '\\')
                    {
                        if (++p >= pattern.Length)
                        {
                            throw Bad(pattern);
                        }

                        c = pattern[p];
                    }

                    if (c == name[n])
                    {
                        p++;
                        n++;
                        continue;
                    }
                }
            }

            if (starP < 0)
            {
                ValidateRest(pattern, p);
                return false;
            }

            p = starP;
            n = ++starN;
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        ValidateRest(pattern, p);
        return p == pattern.Length;
    }

    /// <summary>Go reports a malformed pattern even when the name did not match.</summary>
    private static void ValidateRest(string pattern, int from)
    {
        for (var i = from; i < pattern.Length; i++)
        {
            if (pattern[i] == '\\')
            {
                if (++i >= pattern.Length)
                {
                    throw Bad(pattern);
                }
            }
            else if (pattern[i] == '[')
            {
                i = MatchClass(pattern, i, '\0').End - 1;
            }
        }
    }

    private static (bool Matched, int End) MatchClass(string pattern, int start, char ch)
    {
        var i = start + 1;
        var negated = i < pattern.Length && pattern[i] == '^';
        if (negated)
        {
            i++;
        }

        var matched = false;
        var first = true;
        while (true)
        {
            if (i >= pattern.Length)
            {
                throw Bad(pattern);
            }

            if (pattern[i] == ']' && !first)
            {
                i++;
                break;
            }

            first = false;
            var lo = ClassChar(pattern, ref i);
            var hi = lo;
            if (i < pattern.Length && pattern[i] == '-')
            {
                i++;
                hi = ClassChar(pattern, ref i);
            }

            if (lo <= ch && ch <= hi)
            {
                matched = true;
            }
        }

        return (matched != negated, i);
    }

    private static char ClassChar(string pattern, ref int i)
    {
        if (i >= pattern.Length || pattern[i] is '-' or ']')
        {
            throw Bad(pattern);
        }

        if (pattern[i] == '\\')
        {
            i++;
            if (i >= pattern.Length)
            {
                throw Bad(pattern);
            }
        }

        return pattern[i++];
    }

    private static ArgumentException Bad(string pattern) => new($"syntax error in pattern '{pattern}'", nameof(pattern));
}
