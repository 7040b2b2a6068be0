using Dockerbuild.Oci;
using Dockerbuild.Oci.Storage;

namespace Dockerbuild.Engine.Caching;

/// <summary>What the local images use, which prune must keep: their blobs, layer chains and diffIDs.</summary>
internal sealed class ImageUsage
{
    private ImageUsage(HashSet<Digest> blobs, HashSet<string> layerChains, HashSet<string> diffIds)
    {
        Blobs = blobs;
        LayerChains = layerChains;
        DiffIds = diffIds;
    }

    /// <summary>Every blob reachable from an image.</summary>
    public HashSet<Digest> Blobs { get; }

    /// <summary>Every prefix of every image manifest's layer list, as <see cref="Chain"/> writes it.</summary>
    public HashSet<string> LayerChains { get; }

    /// <summary>Hex diffIDs of the images' layers (the names of their extracted directories).</summary>
    public HashSet<string> DiffIds { get; }

    public static string Chain(IEnumerable<Descriptor> layers) => string.Join(",", layers.Select(l => l.Digest.ToString()));

    public static async Task<ImageUsage> ReadAsync(ImageStore store, CancellationToken cancellationToken)
    {
        var blobs = new HashSet<Digest>();
        var chains = new HashSet<string>(StringComparer.Ordinal);
        var diffIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var image in await store.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            foreach (var blob in await store.ReachableFromAsync(image.ManifestDigest, cancellationToken).ConfigureAwait(false))
            {
                blobs.Add(blob.Digest);
                if (!MediaTypes.IsManifest(blob.MediaType))
                {
                    continue;
                }

                var manifest = (await store.Blobs.ReadJsonAsync<ImageManifest>(blob.Digest, cancellationToken).ConfigureAwait(false)).Value;
                for (var i = 0; i <= manifest.Layers.Count; i++)
                {
                    chains.Add(Chain(manifest.Layers.Take(i)));
                }

                if (store.Blobs.Contains(manifest.Config.Digest))
                {
                    var config = await store.Blobs.ReadJsonAsync<ImageConfig>(manifest.Config.Digest, cancellationToken).ConfigureAwait(false);
                    diffIds.UnionWith(config.Value.RootFs.DiffIds.Select(d => d.Hex));
                }
            }
        }

        return new ImageUsage(blobs, chains, diffIds);
    }
}
