using Dockerbuild.Testing;

namespace Dockerbuild.Dockerfile.Tests.Syntax;

/// <summary>The real-world Dockerfiles listed in ../shared/conformance/realworld/MANIFEST.tsv.</summary>
internal static class RealWorldCorpus
{
    /// <summary>Every file's path, in manifest order.</summary>
    public static IReadOnlyList<string> Paths()
    {
        var manifest = File.ReadAllLines(Conformance.PathOf("realworld", "MANIFEST.tsv"));
        var column = Array.IndexOf(manifest[0].Split('\t'), "file");
        return manifest.Skip(1)
            .Where(line => line.Length > 0)
            .Select(line => Conformance.PathOf("realworld", line.Split('\t')[column]))
            .ToArray();
    }
}
