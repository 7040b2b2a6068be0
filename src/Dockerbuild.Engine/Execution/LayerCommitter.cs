using Dockerbuild.Oci;
using Dockerbuild.Oci.Layers;
using Dockerbuild.Oci.Storage;

namespace Dockerbuild.Engine.Execution;

/// <summary>
/// Writes a step's changes as a gzip layer into the blob store and appends it to the stage. A step
/// that changed nothing adds an empty-layer history entry instead, as BuildKit's exporter leaves
/// empty layers out.
/// </summary>
internal sealed class LayerCommitter(BlobStore blobs, DateTimeOffset? sourceDateEpoch)
{
    public async Task<StageState> CommitAsync(StageState state, IReadOnlyList<LayerEntry> entries, History history, CancellationToken cancellationToken)
    {
        if (entries.Count == 0)
        {
            return state with { Config = state.Config.WithEmptyLayerHistory(history) };
        }

        var writer = blobs.CreateWriter();
        await using (writer.ConfigureAwait(false))
        {
            var options = new LayerWriteOptions { SourceDateEpoch = sourceDateEpoch };
            var info = await LayerWriter.WriteAsync(entries, writer.Stream, options, cancellationToken).ConfigureAwait(false);
            var blob = await writer.CommitAsync(info.MediaType, info.Digest, info.Size, cancellationToken).ConfigureAwait(false);
            return state with
            {
                Config = state.Config.WithLayer(info.DiffId, history),
                Layers = [.. state.Layers, blob],
            };
        }
    }
}
