using Dockerbuild.Oci;
using Dockerbuild.Oci.Archive;
using Dockerbuild.Oci.Layout;
using Dockerbuild.Oci.Registry;
using Dockerbuild.Oci.Storage;

namespace Dockerbuild.Engine.Execution;

/// <summary>Sends a built image to the <c>--output</c> destinations: an OCI layout, a docker-archive tar, or the tags' registries.</summary>
internal static class ImageExporter
{
    public static async Task ExportAsync(BuildResult result, IReadOnlyList<BuildOutput> outputs, BlobStore blobs, RegistryClient? registry, IProgress<TransferProgress>? pushProgress, CancellationToken cancellationToken)
    {
        var image = new NamedImage(result.Manifest, result.Tags);
        foreach (var output in outputs)
        {
            switch (output.Type)
            {
                case "oci":
                    await OciLayout.WriteAsync(output.Destination!, blobs, [image], cancellationToken).ConfigureAwait(false);
                    break;
                case "docker":
                    Directory.CreateDirectory(Path.GetDirectoryName(output.Destination!)!);
                    var temporary = output.Destination + ".tmp-" + Guid.NewGuid().ToString("N");
                    try
                    {
                        var stream = File.Create(temporary);
                        await using (stream.ConfigureAwait(false))
                        {
                            await DockerArchive.WriteAsync(stream, blobs, [image], cancellationToken).ConfigureAwait(false);
                        }

                        File.Move(temporary, output.Destination!, overwrite: true);
                    }
                    finally
                    {
                        File.Delete(temporary);
                    }

                    break;
                case "registry":
                    await PushAsync(result, blobs, registry, pushProgress, cancellationToken).ConfigureAwait(false);
                    break;
            }
        }
    }

    private static async Task PushAsync(BuildResult result, BlobStore blobs, RegistryClient? registry, IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
    {
        if (registry is null)
        {
            throw new BuildException("pushing needs a registry client");
        }

        if (result.Tags.Count == 0)
        {
            throw new BuildException("push needs a name: tag the image with -t");
        }

        var manifest = new RegistryManifest(result.Manifest.MediaType, await blobs.ReadAllBytesAsync(result.ManifestDigest, cancellationToken).ConfigureAwait(false));
        foreach (var tag in result.Tags)
        {
            try
            {
                await registry.PushImageAsync(tag.WithoutTagOrDigest(), [tag.Tag ?? ImageReference.DefaultTag], manifest, blobs, null, progress, cancellationToken).ConfigureAwait(false);
            }
            catch (RegistryException e)
            {
                throw new BuildException($"failed to push {tag}: {e.Message}", e);
            }
        }
    }
}
