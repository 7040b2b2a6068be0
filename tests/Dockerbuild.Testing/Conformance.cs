namespace Dockerbuild.Testing;

/// <summary>
/// Finds the shared conformance corpora (never copied into the repo). Looks at
/// DOCKERBUILD_CONFORMANCE_DIR, then for a <c>shared/conformance</c> folder beside any parent of the
/// test binaries, so clones, worktrees and CI's fresh clone all find it.
/// </summary>
public static class Conformance
{
    private static readonly Lazy<string?> Root = new(Locate);

    /// <summary>The corpus root, or a skip (locally) / failure (under CI=true) when it is absent.</summary>
    public static string Dir
    {
        get
        {
            if (Root.Value is { } dir)
            {
                return dir;
            }

            const string message = "The conformance corpora were not found: set DOCKERBUILD_CONFORMANCE_DIR or place shared/conformance beside the repository.";
            Require.Fail(message);
            return null!;
        }
    }

    public static string PathOf(params string[] parts) => Path.Combine([Dir, .. parts]);

    private static string? Locate()
    {
        var fromEnv = Environment.GetEnvironmentVariable("DOCKERBUILD_CONFORMANCE_DIR");
        if (!string.IsNullOrEmpty(fromEnv))
        {
            return Directory.Exists(fromEnv) ? Path.GetFullPath(fromEnv) : null;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "conformance");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
