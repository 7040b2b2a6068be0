using Dockerbuild.Oci;
using Dockerbuild.Oci.Json;
using Dockerbuild.Oci.Storage;

namespace Dockerbuild.Engine.Caching;

/// <summary>
/// The step cache shared by every build on the machine: <c>ROOT/cache/steps/KEY.json</c> holds an
/// image manifest (config descriptor and layer descriptors) whose blobs are in the blob store.
/// Entries are written to a temporary file and renamed, so concurrent builds only ever see whole
/// entries, and two builds writing the same key write equivalent results. An entry whose blobs were
/// pruned is a miss.
/// </summary>
public sealed class StepCache
{
    private readonly BlobStore blobs;
    private readonly string directory;

    public StepCache(BlobStore blobs)
    {
        ArgumentNullException.ThrowIfNull(blobs);
        this.blobs = blobs;
        directory = StorePaths.Steps(blobs.Root);
    }

    public async Task<CachedStep?> TryGetAsync(string key, CancellationToken cancellationToken)
    {
        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(PathOf(key), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }

        ImageManifest manifest;
        try
        {
            manifest = OciJson.Deserialize<ImageManifest>(bytes);
        }
        catch (OciFormatException)
        {
            return null;
        }

        if (!blobs.Contains(manifest.Config.Digest) || manifest.Layers.Any(l => !blobs.Contains(l.Digest)))
        {
            return null;
        }

        var config = await blobs.ReadJsonAsync<ImageConfig>(manifest.Config.Digest, cancellationToken).ConfigureAwait(false);
        try
        {
            // The entry's last use, which prune's until filter and --keep-storage order by.
            File.SetLastWriteTimeUtc(PathOf(key), DateTime.UtcNow);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }

        return new CachedStep(config.Value, manifest.Layers);
    }

    public async Task StoreAsync(string key, CachedStep step, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(step);
        var config = await blobs.WriteAsync(RawJson<ImageConfig>.Create(step.Config), MediaTypes.OciConfig, cancellationToken).ConfigureAwait(false);
        var manifest = new ImageManifest(config, step.Layers) { MediaType = MediaTypes.OciManifest };
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{key}.{Guid.NewGuid():N}.tmp");
        await File.WriteAllBytesAsync(temporary, OciJson.Serialize(manifest), cancellationToken).ConfigureAwait(false);
        File.Move(temporary, PathOf(key), overwrite: true);
    }

    private string PathOf(string key) => Path.Combine(directory, key + ".json");
}
