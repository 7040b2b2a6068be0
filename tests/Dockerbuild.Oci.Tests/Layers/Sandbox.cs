using System.Security.Cryptography;
using Dockerbuild.Oci.Layers;
using Dockerbuild.Oci.Unix;
using Dockerbuild.Testing;

namespace Dockerbuild.Oci.Tests.Layers;

/// <summary>
/// A temp dir holding the extraction root and, beside it, an "outside" directory with a sentinel file.
/// <see cref="AssertOutsideUntouched"/> proves an extraction created, changed and linked nothing
/// outside the root.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal sealed class Sandbox : IDisposable
{
    private readonly TempDirectory dir = new("dockerbuild-layers-");
    private readonly string before;

    public Sandbox()
    {
        Directory.CreateDirectory(Root);
        Directory.CreateDirectory(Outside);
        System.IO.File.WriteAllText(Secret, "sentinel");
        before = Snapshot();
    }

    public string Root => dir.Combine("root");

    public string Outside => dir.Combine("outside");

    public string Secret => dir.Combine("outside", "secret");

    public string InRoot(string relative) => Root + "/" + relative;

    public Task<LayerExtractResult> ExtractAsync(CraftedLayer layer, LayerExtractOptions? options = null) =>
        LayerExtractor.ExtractAsync(layer.ToStream(), Root, options ?? new LayerExtractOptions(), TestContext.Current.CancellationToken);

    public void AssertOutsideUntouched() => Assert.Equal(before, Snapshot());

    public void Dispose() => dir.Dispose();

    /// <summary>Every object beside the root, with type, size, link count and content hash, never following links.</summary>
    private string Snapshot()
    {
        var lines = new List<string>();
        Walk(dir.Path, lines);
        lines.Sort(StringComparer.Ordinal);
        return string.Join('\n', lines);
    }

    private void Walk(string directory, List<string> lines)
    {
        foreach (var path in Directory.EnumerateFileSystemEntries(directory))
        {
            if (path == Root)
            {
                continue;
            }

            var stat = UnixFiles.LStat(path);
            var hash = stat.Type == UnixFileStatus.Regular ? Convert.ToHexString(SHA256.HashData(System.IO.File.ReadAllBytes(path))) : "";
            lines.Add($"{path} {stat.Mode:x} {stat.Size} {stat.LinkCount} {stat.MtimeSeconds} {hash}");
            if (stat.Type == UnixFileStatus.Directory)
            {
                Walk(path, lines);
            }
        }
    }
}
