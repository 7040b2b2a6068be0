using Dockerbuild.Oci.Layers;
using Dockerbuild.Testing;

namespace Dockerbuild.Oci.Tests.Layers;

/// <summary>
/// Reusing gzip members of earlier layers must never change a byte of a blob: the layer written with
/// the cache is the layer written without it, and a damaged earlier blob is only a miss.
/// </summary>
public sealed class GzipMemberCacheTests
{
    [Fact]
    public async Task ALayerWithOneFileChangedReusesTheOtherMembersAndIsTheSameBlob()
    {
        using var dir = new TempDirectory();
        var reads = 0;
        var cache = new GzipMemberCache(dir.Combine("index"), digest =>
        {
            Interlocked.Increment(ref reads);
            return dir.Combine(digest.Hex);
        });
        var withCache = new LayerWriteOptions { CompressionThreads = 2, GzipMembers = cache };

        var first = await WriteAsync(Tree(changed: false), withCache, dir);
        Assert.Equal(0, reads);
        var second = await WriteAsync(Tree(changed: true), withCache, dir);
        var fresh = await WriteAsync(Tree(changed: true), new LayerWriteOptions { CompressionThreads = 2 }, dir);

        Assert.NotEqual(first, second);
        Assert.Equal(fresh, second);
        Assert.Equal(await File.ReadAllBytesAsync(dir.Combine(fresh.Hex), TestContext.Current.CancellationToken), await File.ReadAllBytesAsync(dir.Combine(second.Hex), TestContext.Current.CancellationToken));
        // Members before and after the changed file came from the first blob.
        Assert.True(reads >= 4, $"only {reads} members were reused");
    }

    [Fact]
    public async Task ADamagedEarlierBlobIsCompressedAfresh()
    {
        using var dir = new TempDirectory();
        var cache = new GzipMemberCache(dir.Combine("index"), digest => dir.Combine(digest.Hex));
        var withCache = new LayerWriteOptions { CompressionThreads = 2, GzipMembers = cache };
        var first = await WriteAsync(Tree(changed: false), withCache, dir);
        var bytes = await File.ReadAllBytesAsync(dir.Combine(first.Hex), TestContext.Current.CancellationToken);
        for (var i = 100; i < bytes.Length; i += 4096)
        {
            bytes[i] ^= 0xFF;
        }

        await File.WriteAllBytesAsync(dir.Combine(first.Hex), bytes, TestContext.Current.CancellationToken);

        var again = await WriteAsync(Tree(changed: false), withCache, dir);

        Assert.Equal(first, again);
        Assert.Equal(first, Digest.Compute(await File.ReadAllBytesAsync(dir.Combine(again.Hex), TestContext.Current.CancellationToken)));
    }

    private static async Task<Digest> WriteAsync(IEnumerable<LayerEntry> entries, LayerWriteOptions options, TempDirectory dir)
    {
        var temporary = dir.Combine(Guid.NewGuid().ToString("N"));
        LayerDescriptorInfo info;
        await using (var file = File.Create(temporary))
        {
            info = await LayerWriter.WriteAsync(entries, file, options, TestContext.Current.CancellationToken);
        }

        File.Move(temporary, dir.Combine(info.Digest.Hex), overwrite: true);
        return info.Digest;
    }

    /// <summary>200 text files of 20-60 KB (some 8 MB of tar); <paramref name="changed"/> grows one in the middle.</summary>
    private static IEnumerable<LayerEntry> Tree(bool changed)
    {
        var random = new Random(7);
        var words = Enumerable.Range(0, 500).Select(i => new string((char)('a' + i % 26), 2 + i % 9)).ToArray();
        for (var i = 0; i < 200; i++)
        {
            var text = new System.Text.StringBuilder();
            var size = random.Next(20_000, 60_000);
            while (text.Length < size)
            {
                text.Append(words[random.Next(words.Length)]).Append(random.Next(8) == 0 ? '\n' : ' ');
            }

            if (changed && i == 100)
            {
                text.Append(new string('x', 5000));
            }

            yield return LayerEntry.File($"tree/d{i % 10}/f{i:000}.txt", System.Text.Encoding.UTF8.GetBytes(text.ToString())) with { ModificationTime = SampleLayers.Mtime };
        }
    }
}
