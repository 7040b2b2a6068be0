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

        // A third of the length (rounded up): close enough to be a typo, far enough not to guess.
        var threshold = Math.Max(1, (v.Length + 2) / 3);
        return bestDistance <= threshold ? best : null;
    }

    /// <summary>The message with " (did you mean X?)" appended when a close option exists.</summary>
    public static string Append(string message, string value, IEnumerable<string> options, bool caseSensitive = false) =>
        Closest(value, options, caseSensitive) is { } match ? $"{message} (did you mean {match}?)" : message;

    /// <summary>
    /// Edit distance where inserting, deleting, substituting or swapping two neighbouring characters each
    /// cost one (optimal string alignment), so the commonest typo, a swap ("form"), counts as one edit.
    /// </summary>
    public static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
