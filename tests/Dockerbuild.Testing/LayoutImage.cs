using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json.Nodes;
using Xunit;

namespace Dockerbuild.Testing;

/// <summary>
/// An image read straight from an OCI image layout with the BCL only (JSON and tar), so that what one
/// builder wrote can be checked independently of our own readers: index, manifest, config and the
/// entries of each layer.
/// </summary>
public sealed record LayoutImage(JsonObject IndexEntry, JsonObject Manifest, JsonObject Config, IReadOnlyList<IReadOnlyList<LayoutEntry>> Layers)
{
    /// <summary>The config's <c>config</c> object (Env, Cmd, ...), empty when absent.</summary>
    public JsonObject ContainerConfig => Config["config"] as JsonObject ?? [];

    public JsonArray History => Config["history"] as JsonArray ?? [];

    /// <summary>Reads the image of the layout's index entry at <paramref name="index"/>.</summary>
    public static async Task<LayoutImage> ReadAsync(string layout, int index = 0)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var indexJson = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(layout, "index.json"), cancellationToken))!.AsObject();
        var entry = indexJson["manifests"]![index]!.AsObject();
        var manifest = (await ReadBlobAsync(layout, (string)entry["digest"]!)).AsObject();
        var config = (await ReadBlobAsync(layout, (string)manifest["config"]!["digest"]!)).AsObject();
        var layers = new List<IReadOnlyList<LayoutEntry>>();
        foreach (var layer in manifest["layers"]!.AsArray())
        {
            layers.Add(await ReadLayerAsync(BlobPath(layout, (string)layer!["digest"]!), (string)layer["mediaType"]!));
        }

        return new LayoutImage(entry, manifest, config, layers);
    }

    /// <summary>The entries of a layer blob in tar order, names without a leading "./" or trailing "/".</summary>
    public static async Task<IReadOnlyList<LayoutEntry>> ReadLayerAsync(string blob, string mediaType)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var file = File.OpenRead(blob);
        Stream tar = mediaType.EndsWith("gzip", StringComparison.Ordinal) ? new GZipStream(file, CompressionMode.Decompress)
            : mediaType.EndsWith("tar", StringComparison.Ordinal) ? file
            : throw new InvalidOperationException($"unsupported layer media type {mediaType}");
        await using var _ = tar;
        await using var reader = new TarReader(tar);
        var entries = new List<LayoutEntry>();
        while (await reader.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
        {
            var name = entry.Name.StartsWith("./", StringComparison.Ordinal) ? entry.Name[2..] : entry.Name;
            entries.Add(new LayoutEntry(
                name.TrimEnd('/'),
                entry.EntryType == TarEntryType.V7RegularFile ? TarEntryType.RegularFile : entry.EntryType,
                (int)entry.Mode,
                entry.Uid,
                entry.Gid,
                entry.EntryType is TarEntryType.SymbolicLink or TarEntryType.HardLink ? entry.LinkName : null,
                entry.Length));
        }

        return entries;
    }

    private static async Task<JsonNode> ReadBlobAsync(string layout, string digest) =>
        JsonNode.Parse(await File.ReadAllTextAsync(BlobPath(layout, digest), TestContext.Current.CancellationToken))!;

    private static string BlobPath(string layout, string digest) => Path.Combine(layout, "blobs", digest.Replace(':', Path.DirectorySeparatorChar));
}
