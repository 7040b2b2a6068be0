namespace Dockerbuild.Engine.Caching;

/// <summary>Sizes and removal of cache directories, which may hold read-only directories from image layers.</summary>
internal static class DirectoryTree
{
    private static readonly EnumerationOptions Everything = new()
    {
        RecurseSubdirectories = true,
        AttributesToSkip = 0,
        IgnoreInaccessible = true,
    };

    /// <summary>Bytes of the regular files below <paramref name="path"/> (a file's own length when it is one).</summary>
    public static long Size(string path)
    {
        if (File.Exists(path))
        {
            return new FileInfo(path).Length;
        }

        if (!Directory.Exists(path))
        {
            return 0;
        }

        return new DirectoryInfo(path).EnumerateFiles("*", Everything)
            .Where(file => (file.Attributes & FileAttributes.ReparsePoint) == 0)
            .Sum(file => file.Length);
    }

    /// <summary>
    /// Renames <paramref name="path"/> to a hidden name first, so a crash half-way never leaves a partial
    /// tree under a name readers take as complete, then deletes it.
    /// </summary>
    public static void Delete(string path)
    {
        if (File.Exists(path))
        {
            File.Delete(path);
            return;
        }

        if (!Directory.Exists(path))
        {
            return;
        }

        var doomed = Path.Combine(Path.GetDirectoryName(path)!, ".prune-" + Guid.NewGuid().ToString("N"));
        Directory.Move(path, doomed);
        DeleteHidden(doomed);
    }

    /// <summary>Deletes a tree no reader looks at any more.</summary>
    public static void DeleteHidden(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (UnauthorizedAccessException) when (!OperatingSystem.IsWindows())
        {
            // Without CAP_DAC_OVERRIDE a read-only directory cannot be emptied: make them writable, then retry.
            foreach (var directory in Directory.EnumerateDirectories(path, "*", Everything).Prepend(path))
            {
                File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            Directory.Delete(path, recursive: true);
        }
    }
}
