using System.Buffers;
using System.Net;

namespace Dockerbuild.Oci.Registry;

/// <summary>
/// The body of a blob PUT or PATCH: bytes [offset, offset+length) of the blob, streamed in 1 MiB pieces
/// (never the whole blob in memory), re-sendable (an auth retry serializes it again), reporting progress,
/// and keeping the attempt's deadline moving while bytes flow.
/// </summary>
internal sealed class BlobUploadContent : HttpContent
{
    private const int PieceSize = 1024 * 1024;

    private readonly BlobReader reader;
    private readonly long offset;
    private readonly long length;
    private readonly TransferDeadline deadline;
    private readonly Action<long> progress;

    public BlobUploadContent(BlobReader reader, long offset, long length, TransferDeadline deadline, Action<long> progress)
    {
        this.reader = reader;
        this.offset = offset;
        this.length = length;
        this.deadline = deadline;
        this.progress = progress;
        Headers.ContentType = new("application/octet-stream");
        Headers.ContentLength = length;
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        var source = await reader.AtAsync(offset, cancellationToken).ConfigureAwait(false);
        var buffer = ArrayPool<byte>.Shared.Rent(PieceSize);
        try
        {
            long sent = 0;
            while (sent < length)
            {
                var read = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(PieceSize, length - sent)), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    throw new InvalidDataException($"the blob source ended at byte {offset + sent}, before its declared size");
                }

                reader.Advance(read);
                deadline.Activity();
                await stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                sent += read;
                progress(offset + sent);
            }

            deadline.AwaitingResponse();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    protected override bool TryComputeLength(out long computed)
    {
        computed = length;
        return true;
    }
}
