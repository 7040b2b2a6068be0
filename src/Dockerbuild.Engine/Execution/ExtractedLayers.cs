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

        var temporary = TemporaryDirectory(diffId.Short);
        try
        {
            var blob = await blobs.OpenBlobAsync(layer.Digest, cancellationToken).ConfigureAwait(false);
            await using (blob.ConfigureAwait(false))
            {
                var result = await LayerExtractor.ExtractAsync(blob, temporary, ExtractOptions, cancellationToken).ConfigureAwait(false);
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

            MoveIntoPlace(temporary, final);
            return final;
        }
        catch
        {
            DeleteIfExists(temporary);
            throw;
        }
    }

    /// <summary>
    /// Whether a layer can be unpacked from its tar while it is written (<see cref="UnpackWhileWrittenAsync"/>):
    /// not where whiteout markers need a second pass over the blob.
    /// </summary>
    public static bool CanUnpackWhileWritten => !WhiteoutMarkers.Needed;

    /// <summary>
    /// Unpacks a layer from its uncompressed tar as the step that makes it writes it, so the next step
    /// need not decompress and re-read the blob it just wrote (a snapshot, as BuildKit keeps the result
    /// of every step). Returns the unpacked directory and the tar's diffID, for <see cref="Adopt"/>, or
    /// null when unpacking failed: the layer is then extracted from its blob when first needed, which
    /// reports the failure. The tar stream is drained and disposed in every case, so its writer never waits.
    /// </summary>
    public async Task<(string Directory, Digest DiffId)?> UnpackWhileWrittenAsync(Stream tar, CancellationToken cancellationToken)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("Layers are extracted on Linux only.");
        }

        var temporary = TemporaryDirectory("new");
        await using (tar.ConfigureAwait(false))
        {
            try
            {
                var result = await LayerExtractor.ExtractAsync(tar, temporary, ExtractOptions, cancellationToken).ConfigureAwait(false);
                return (temporary, result.DiffId);
            }
            catch (Exception e)
            {
                DeleteIfExists(temporary);
                if (e is OperationCanceledException && cancellationToken.IsCancellationRequested)
                {
                    throw;
                }

                return null;
            }
        }
    }

    /// <summary>Puts a directory from <see cref="UnpackWhileWrittenAsync"/> in place as layer <paramref name="diffId"/>; a mismatch is discarded.</summary>
    public void Adopt((string Directory, Digest DiffId) unpacked, Digest diffId)
    {
        if (unpacked.DiffId != diffId)
        {
            DeleteIfExists(unpacked.Directory);
            return;
        }

        var final = Path.Combine(root, diffId.Hex);
        MoveIntoPlace(unpacked.Directory, final);
        pending.TryAdd(diffId, new Lazy<Task<string>>(Task.FromResult(final)));
    }

    /// <summary>Removes what <see cref="UnpackWhileWrittenAsync"/> made, for a layer that was not committed.</summary>
    public static void Discard((string Directory, Digest DiffId)? unpacked)
    {
        if (unpacked is { } made)
        {
            DeleteIfExists(made.Directory);
        }
    }

    private static LayerExtractOptions ExtractOptions => new()
    {
        Whiteouts = WhiteoutMarkers.Needed ? WhiteoutHandling.Apply : WhiteoutHandling.Overlay,
    };

    private string TemporaryDirectory(string label)
    {
        Directory.CreateDirectory(root);
        return Path.Combine(root, $".tmp-{label}-{Guid.NewGuid():N}");
    }

    private static void MoveIntoPlace(string temporary, string final)
    {
        try
        {
            Directory.Move(temporary, final);
        }
        catch (IOException) when (Directory.Exists(final))
        {
            // Another build extracted the same layer first; theirs is as good as ours.
            Directory.Delete(temporary, recursive: true);
        }
    }

    private static void DeleteIfExists(string directory)
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
