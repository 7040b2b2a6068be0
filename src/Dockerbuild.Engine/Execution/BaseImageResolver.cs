using System.Collections.Concurrent;
using Dockerbuild.Oci;
using Dockerbuild.Oci.Registry;
using Dockerbuild.Oci.Storage;

namespace Dockerbuild.Engine.Execution;

/// <summary>
/// FROM an image for a platform: the local store first, else (or with --pull) the registry, pulled into
/// the store. An index gives the platform's manifest; a single manifest is taken as it is, as BuildKit does.
/// Each image and platform is pulled once per resolver (one per build), as BuildKit resolves an image
/// once: the early checks under <c># check=error=true</c> and the stages that name it share the pull.
/// </summary>
internal sealed class BaseImageResolver(ImageStore store, RegistryClient? registry)
{
    private readonly ConcurrentDictionary<(string Name, string Platform), Lazy<Task<LocalImage>>> pulls = new();

    public async Task<LocalImage> ResolveAsync(string name, bool pull, Platform platform, CancellationToken cancellationToken)
    {
        if (!pull && await TryOpenLocalAsync(name, platform, cancellationToken).ConfigureAwait(false) is { } local)
        {
            return local;
        }

        if (!ImageReference.TryParse(name, out var reference))
        {
            throw new BuildException($"invalid base image reference \"{name}\"");
        }

        if (registry is null)
        {
            throw new BuildException($"base image {name} is not in the local store and no registry client is configured to pull it");
        }

        return await pulls.GetOrAdd((name, platform.ToString()), _ => new Lazy<Task<LocalImage>>(() => PullAsync(registry, reference, platform, cancellationToken))).Value.ConfigureAwait(false);
    }

    private async Task<LocalImage> PullAsync(RegistryClient registry, ImageReference reference, Platform platform, CancellationToken cancellationToken)
    {
        PulledImage pulled;
        try
        {
            pulled = await registry.PullImageAsync(reference, platform, new StoreBlobSink(store.Blobs), null, cancellationToken).ConfigureAwait(false);
        }
        catch (RegistryException e)
        {
            throw new BuildException($"failed to resolve source metadata for {reference}: {e.Message}", e);
        }
        catch (HttpRequestException e)
        {
            throw new BuildException($"failed to resolve source metadata for {reference}: {e.Message}", e);
        }

        await store.Blobs.WriteAsync(pulled.Manifest.Content, pulled.Manifest.MediaType, cancellationToken).ConfigureAwait(false);
        var top = pulled.Manifest;
        if (pulled.Index is { } index)
        {
            await store.Blobs.WriteAsync(index.Content, index.MediaType, cancellationToken).ConfigureAwait(false);
            top = index;
        }

        await store.AddAsync(top.Digest, [reference.WithDefaultTag()], cancellationToken).ConfigureAwait(false);
        return await store.OpenImageAsync(top.Digest.ToString(), platform, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The image the local store holds under <paramref name="name"/>, or null; never pulls.</summary>
    public async Task<LocalImage?> TryOpenLocalAsync(string name, Platform platform, CancellationToken cancellationToken)
    {
        if (await store.FindAsync(name, cancellationToken).ConfigureAwait(false) is null)
        {
            return null;
        }

        try
        {
            return await store.OpenImageAsync(name, platform, cancellationToken).ConfigureAwait(false);
        }
        catch (ImageNotFoundException)
        {
            return null;
        }
    }
}
