using Dockerbuild.Oci.Layers;

namespace Dockerbuild.Engine.Runtime;

/// <summary>
/// A writable root filesystem stacked on extracted layer directories, for one RUN. Run the container
/// on <see cref="RootfsPath"/>, then ask for the diff; disposing removes everything the snapshot made.
/// </summary>
public interface IRootfsSnapshot : IAsyncDisposable
{
    /// <summary>The directory to give the runtime as the container's root.</summary>
    string RootfsPath { get; }

    /// <summary>
    /// The changes against the layers below, as layer entries in BuildKit's form (OCI whiteouts,
    /// parent directories of changed entries, hardlinks). Call once, after the container has exited:
    /// the rootfs is no longer usable afterwards. File content is read from the snapshot when the
    /// entries are written, so write the layer before disposing.
    /// </summary>
    /// <param name="whiteoutTime">The mtime of whiteout entries (containerd uses the current time; pass SOURCE_DATE_EPOCH to clamp).</param>
    Task<IReadOnlyList<LayerEntry>> DiffAsync(DateTimeOffset whiteoutTime, CancellationToken cancellationToken);
}
