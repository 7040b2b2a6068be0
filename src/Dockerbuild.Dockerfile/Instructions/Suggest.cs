namespace Dockerbuild.Dockerfile.Instructions;

/// <summary>"Did you mean ...?" suggestions by edit distance, as BuildKit's util/suggest offers them.</summary>
internal static class Suggest
{
    /// <summary>The closest option, or null when none is close enough to be a likely typo.</summary>
    public static string? Closest(string value, IEnumerable<string> options, bool caseSensitive = false)
    {
        if (value.Length == 0)
        {
            return null;
        }

        var v = caseSensitive ? value : value.ToLowerInvariant();
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var option in options)
        {
            var o = caseSensitive ? option : option.ToLowerInvariant();
            if (o == v)
            {
                return option;
            }

            var d = Distance(v, o);
            if (d < bestDistance)
            {
                bestDistance = d;
                best = option;
            }
        }

        // A third of the length, at least one edit: close enough to be a typo, far enough not to guess.
        var threshold = Math.Max(1, v.Length / 3);
        return bestDistance <= threshold ? best : null;
    }

    /// <summary>The message with " (did you mean X?)" appended when a close option exists.</summary>
    public static string Append(string message, string value, IEnumerable<string> options, bool caseSensitive = false) =>
        Closest(value, options, caseSensitive) is { } match ? $"{message} (did you mean {match}?)" : message;

    /// <summary>Levenshtein distance (insert, delete, substitute; each costs one).</summary>
    public static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
