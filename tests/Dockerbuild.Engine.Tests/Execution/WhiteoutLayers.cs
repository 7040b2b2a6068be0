using Dockerbuild.Oci;
using Dockerbuild.Oci.Layers;
using Dockerbuild.Oci.Storage;

namespace Dockerbuild.Engine.Tests.Execution;

/// <summary>
/// Two layers in a blob store, as a docker-built image has them: the lower with d/old, d/sub/s and
/// gone; the upper deleting gone (<c>.wh.gone</c>) and making d opaque (<c>d/.wh..wh..opq</c>) with d/new.
/// Stacked, the tree is d/new only.
/// </summary>
internal static class WhiteoutLayers
{
    public static async Task<(Descriptor Layer, Digest DiffId)[]> AddAsync(BlobStore blobs)
    {
        var lower = await WriteAsync(blobs, [Dir("d"), Dir("d/sub"), File("d/old"), File("d/sub/s"), File("gone")]);
        var upper = await WriteAsync(blobs, [File(".wh.gone", ""), Dir("d"), File("d/.wh..wh..opq", ""), File("d/new")]);
        return [lower, upper];
    }

    private static LayerEntry Dir(string path) => new() { Path = path, Type = LayerEntryType.Directory, Mode = 0b111_101_101 };

    private static LayerEntry File(string path, string? content = null)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(content ?? path);
        return new LayerEntry
        {
            Path = path,
            Type = LayerEntryType.RegularFile,
            Mode = content is null ? 0b110_100_100 : 0,
            Size = bytes.Length,
            OpenContent = _ => ValueTask.FromResult<Stream>(new MemoryStream(bytes)),
        };
    }

    private static async Task<(Descriptor, Digest)> WriteAsync(BlobStore blobs, IReadOnlyList<LayerEntry> entries)
    {
        var writer = blobs.CreateWriter();
        await using (writer)
        {
            var info = await LayerWriter.WriteAsync(entries, writer.Stream, new LayerWriteOptions(), CancellationToken.None);
            return (await writer.CommitAsync(info.MediaType, info.Digest, info.Size), info.DiffId);
        }
    }
}
