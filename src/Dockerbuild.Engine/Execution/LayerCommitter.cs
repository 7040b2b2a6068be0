using System.IO.Pipelines;
using Dockerbuild.Oci;
using Dockerbuild.Oci.Layers;
using Dockerbuild.Oci.Storage;

namespace Dockerbuild.Engine.Execution;

/// <summary>
/// Writes a step's changes as a gzip layer into the blob store and appends it to the stage. A step
/// that changed nothing adds an empty-layer history entry instead, as BuildKit's exporter leaves
/// empty layers out. Chunks unchanged since an earlier layer reuse its gzip members. When a later step of the stage will stand on the layer, it is unpacked from the
/// tar as the tar is made, rather than decompressed from the blob afterwards.
/// </summary>
internal sealed class LayerCommitter(BlobStore blobs, ExtractedLayers layers, GzipMemberCache gzipMembers, DateTimeOffset? sourceDateEpoch)
{
    /// <summary>How far the tar may run ahead of the unpacking before the writer waits.</summary>
    private const long UnpackBacklog = 8 * 1024 * 1024;

    public async Task<StageState> CommitAsync(StageState state, IReadOnlyList<LayerEntry> entries, History history, bool unpack, CancellationToken cancellationToken)
    {
        if (entries.Count == 0)
        {
            return state with { Config = state.Config.WithEmptyLayerHistory(history) };
        }

        var writer = blobs.CreateWriter();
        await using (writer.ConfigureAwait(false))
        {
            var options = new LayerWriteOptions { SourceDateEpoch = sourceDateEpoch, GzipMembers = gzipMembers };
            LayerDescriptorInfo info;
            (string Directory, Digest DiffId)? unpacked = null;
            if (unpack && ExtractedLayers.CanUnpackWhileWritten)
            {
                var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: UnpackBacklog, resumeWriterThreshold: UnpackBacklog / 2));
                var unpacking = layers.UnpackWhileWrittenAsync(pipe.Reader.AsStream(), cancellationToken);
                try
                {
                    var tarCopy = pipe.Writer.AsStream();
                    await using (tarCopy.ConfigureAwait(false))
                    {
                        info = await LayerWriter.WriteAsync(entries, writer.Stream, tarCopy, options, cancellationToken).ConfigureAwait(false);
                    }
                }
                catch
                {
                    // The copy ended with the failure, so the unpacking ends too; what it made is incomplete.
                    ExtractedLayers.Discard(await unpacking.ConfigureAwait(false));
                    throw;
                }

                unpacked = await unpacking.ConfigureAwait(false);
            }
            else
            {
                info = await LayerWriter.WriteAsync(entries, writer.Stream, options, cancellationToken).ConfigureAwait(false);
            }

            Descriptor blob;
            try
            {
                blob = await writer.CommitAsync(info.MediaType, info.Digest, info.Size, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                ExtractedLayers.Discard(unpacked);
                throw;
            }

            if (unpacked is { } directory)
            {
                layers.Adopt(directory, info.DiffId);
            }

            return state with
            {
                Config = state.Config.WithLayer(info.DiffId, history),
                Layers = [.. state.Layers, blob],
            };
        }
    }
}
