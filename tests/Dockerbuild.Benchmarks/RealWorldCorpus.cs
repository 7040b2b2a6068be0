namespace Dockerbuild.Benchmarks;

/// <summary>
/// The 1,191 real-world Dockerfiles of ../shared/conformance/realworld (DOCKERBUILD_CONFORMANCE_DIR
/// overrides), read into memory so a benchmark measures parsing, not the disk.
/// </summary>
public static class RealWorldCorpus
{
    /// <summary>Every file of the manifest as (path, text), in manifest order.</summary>
    public static IReadOnlyList<(string Path, string Text)> Load()
    {
        var root = Path.Combine(ConformanceDir(), "realworld");
        var manifest = File.ReadAllLines(Path.Combine(root, "MANIFEST.tsv"));
        var column = Array.IndexOf(manifest[0].Split('\t'), "file");
        return manifest.Skip(1)
            .Where(line => line.Length > 0)
            .Select(line => Path.Combine(root, line.Split('\t')[column]))
            .Select(path => (path, File.ReadAllText(path)))
            .ToArray();
    }

    /// <summary>How many files the corpus holds (what one benchmark operation processes).</summary>
    public static int FileCount()
    {
        var manifest = File.ReadAllLines(Path.Combine(ConformanceDir(), "realworld", "MANIFEST.tsv"));
        return manifest.Skip(1).Count(line => line.Length > 0);
    }

    private static string ConformanceDir()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("DOCKERBUILD_CONFORMANCE_DIR");
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return fromEnvironment;
        }

        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "shared", "conformance");
                if (Directory.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new DirectoryNotFoundException("The conformance corpora were not found: set DOCKERBUILD_CONFORMANCE_DIR or place shared/conformance beside the repository.");
    }
}
