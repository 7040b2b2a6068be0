using System.Collections.Concurrent;
using Dockerbuild.Oci;
using Dockerbuild.Oci.Layers;
using Dockerbuild.Oci.Storage;

namespace Dockerbuild.Engine.Execution;

/// <summary>
/// Layer blobs unpacked once into <c>ROOT/layers/HEX</c> (by diffID), with overlay whiteouts so that
/// they stack as overlay lowerdirs. An extraction goes to a private directory renamed into place, so a
/// directory under its final name is always complete, whichever build or process made it.
/// </summary>
public sealed class ExtractedLayers
{
    private readonly BlobStore blobs;
    private readonly string root;
    private readonly ConcurrentDictionary<Digest, Lazy<Task<string>>> pending = new();

    public ExtractedLayers(BlobStore blobs, string root)
    {
        this.blobs = blobs;
        this.root = root;
    }

    /// <summary>The extracted directories of <paramref name="layers"/> (bottom first in the input), topmost first.</summary>
    public async Task<IReadOnlyList<string>> GetTopFirstAsync(IReadOnlyList<Descriptor> layers, IReadOnlyList<Digest> diffIds, CancellationToken cancellationToken)
    {
        var dirs = await Task.WhenAll(layers.Select((layer, i) => GetAsync(layer, diffIds[i], cancellationToken))).ConfigureAwait(false);
        return [.. dirs.Reverse()];
    }

    public Task<string> GetAsync(Descriptor layer, Digest diffId, CancellationToken cancellationToken)
    {
        var lazy = pending.GetOrAdd(diffId, id => new Lazy<Task<string>>(() => ExtractAsync(layer, id, cancellationToken)));
        return ForgetFailureAsync(diffId, lazy);
    }

    /// <summary>A failed or cancelled extraction is not remembered, so the next step tries again.</summary>
    private async Task<string> ForgetFailureAsync(Digest diffId, Lazy<Task<string>> lazy)
    {
        try
        {
            return await lazy.Value.ConfigureAwait(false);
        }
        catch
        {
            pending.TryRemove(new KeyValuePair<Digest, Lazy<Task<string>>>(diffId, lazy));
            throw;
        }
    }

    private async Task<string> ExtractAsync(Descriptor layer, Digest diffId, CancellationToken cancellationToken)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("Layers are extracted on Linux only.");
        }

        var final = Path.Combine(root, diffId.Hex);
        if (Directory.Exists(final))
        {
            return final;
        }

        Directory.CreateDirectory(root);
        var temporary = Path.Combine(root, $".tmp-{diffId.Short}-{Guid.NewGuid():N}");
        try
        {
            var options = new LayerExtractOptions
            {
                Whiteouts = WhiteoutMarkers.Needed ? WhiteoutHandling.Apply : WhiteoutHandling.Overlay,
            };
            var blob = await blobs.OpenBlobAsync(layer.Digest, cancellationToken).ConfigureAwait(false);
            await using (blob.ConfigureAwait(false))
            {
                var result = await LayerExtractor.ExtractAsync(blob, temporary, options, cancellationToken).ConfigureAwait(false);
                if (result.DiffId != diffId)
                {
                    throw new BuildException($"layer {layer.Digest} has diffID {result.DiffId}, but the image config says {diffId}");
                }
            }

            if (WhiteoutMarkers.Needed)
            {
                var again = await blobs.OpenBlobAsync(layer.Digest, cancellationToken).ConfigureAwait(false);
                await using (again.ConfigureAwait(false))
                {
                    await WhiteoutMarkers.WriteAsync(again, temporary, cancellationToken).ConfigureAwait(false);
                }
            }

            try
            {
                Directory.Move(temporary, final);
            }
            catch (IOException) when (Directory.Exists(final))
            {
                // Another build extracted the same layer first; theirs is as good as ours.
                Directory.Delete(temporary, recursive: true);
            }

            return final;
        }
        catch
        {
            if (Directory.Exists(temporary))
            {
                Directory.Delete(temporary, recursive: true);
            }

            throw;
        }
    }
}
