using Dockerbuild.Oci;
using Dockerbuild.Oci.Storage;

namespace Dockerbuild.Cli.Commands.Images;

/// <summary>Opens a local image for the commands that show or send one.</summary>
internal static class LocalImages
{
    /// <summary>
    /// As <see cref="ImageStore.OpenImageAsync"/>; an index pulled for another platform than this
    /// machine's opens as the platform it has (a pull of <c>--platform linux/arm64</c> on amd64 is still
    /// inspectable, pushable and saveable).
    /// </summary>
    public static async Task<LocalImage> OpenAsync(ImageStore store, string nameOrId, CancellationToken cancellationToken)
    {
        var record = await store.GetAsync(nameOrId, cancellationToken);
        Platform? platform = null;
        if (MediaTypes.IsIndex(record.MediaType))
        {
            var index = await store.Blobs.ReadJsonAsync<ImageIndex>(record.ManifestDigest, cancellationToken);
            var present = new ImageIndex([.. index.Value.Manifests.Where(entry => store.Blobs.Contains(entry.Digest))]);
            if (present.FindManifest(Platform.Current) is null && present.Manifests.FirstOrDefault(entry => entry.Platform is not null) is { } other)
            {
                platform = other.Platform;
            }
        }

        return await store.OpenImageAsync(record.ManifestDigest.ToString(), platform, cancellationToken);
    }
}
