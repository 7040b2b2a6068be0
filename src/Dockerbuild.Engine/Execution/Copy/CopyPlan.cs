using Dockerbuild.Oci.Layers;

namespace Dockerbuild.Engine.Execution.Copy;

/// <summary>
/// What a COPY or ADD puts in its layer, parents before children, and the digest of its inputs for
/// the step's cache key (paths, types, modes, owners, link targets and content digests of every
/// entry; not modification times, as in BuildKit). File content is opened only when the layer is
/// written. Dispose after writing the layer: it removes what was spooled (URL downloads, unpacked
/// archive members).
/// </summary>
public sealed class CopyPlan : IAsyncDisposable
{
    private readonly string? scratchDirectory;

    internal CopyPlan(IReadOnlyList<LayerEntry> entries, string inputDigest, string? scratchDirectory)
    {
        Entries = entries;
        InputDigest = inputDigest;
        this.scratchDirectory = scratchDirectory;
    }

    public IReadOnlyList<LayerEntry> Entries { get; }

    /// <summary>"sha256:..." over the selected sources' content and metadata.</summary>
    public string InputDigest { get; }

    public ValueTask DisposeAsync()
    {
        if (scratchDirectory is not null && Directory.Exists(scratchDirectory))
        {
            Directory.Delete(scratchDirectory, recursive: true);
        }

        return ValueTask.CompletedTask;
    }
}
