namespace Dockerbuild.Dockerfile.Ignore;

/// <summary>Go's <c>path/filepath</c> lexical helpers for slash-separated paths, which Docker applies
/// to both the patterns and the paths it matches.</summary>
internal static class GoPath
{
    /// <summary>Go's <c>filepath.Clean</c>: one slash between elements, no <c>.</c> elements, each
    /// <c>..</c> removed with the element before it (or dropped at the root), no trailing slash, and
    /// <c>.</c> for an empty result.</summary>
    public static string Clean(string path)
    {
        if (path.Length == 0)
        {
            return ".";
        }

        var rooted = path[0] == '/';
        var n = path.Length;
        var output = new char[n + 2];
        int w = 0, r = 0, dotdot = 0;
        if (rooted)
        {
            output[w++] = '/';
            r = 1;
            dotdot = 1;
        }

        while (r < n)
        {
            if (path[r] == '/')
            {
                r++;
            }
            else if (path[r] == '.' && (r + 1 == n || path[r + 1] == '/'))
            {
                r++;
            }
            else if (path[r] == '.' && path[r + 1] == '.' && (r + 2 == n || path[r + 2] == '/'))
            {
                r += 2;
                if (w > dotdot)
                {
                    // Back up to the previous slash.
                    w--;
                    while (w > dotdot && output[w] != '/')
                    {
                        w--;
                    }
                }
                else if (!rooted)
                {
                    // A leading .. cannot be resolved lexically, so it stays.
                    if (w > 0)
                    {
                        output[w++] = '/';
                    }

                    output[w++] = '.';
                    output[w++] = '.';
                    dotdot = w;
                }
            }
            else
            {
                if ((rooted && w != 1) || (!rooted && w != 0))
                {
                    output[w++] = '/';
                }

                for (; r < n && path[r] != '/'; r++)
                {
                    if (w == output.Length)
                    {
                        Array.Resize(ref output, output.Length * 2);
                    }

                    output[w++] = path[r];
                }
            }
        }

        return w == 0 ? "." : new string(output, 0, w);
    }

    /// <summary>Go's <c>filepath.Dir</c>: everything before the last slash, cleaned.</summary>
    public static string Dir(string path)
    {
        var slash = path.LastIndexOf('/');
        return Clean(path[..(slash + 1)]);
    }
}
