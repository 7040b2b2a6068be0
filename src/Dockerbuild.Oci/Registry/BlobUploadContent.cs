using System.Buffers;
using System.Net;

namespace Dockerbuild.Oci.Registry;

/// <summary>
/// The body of a blob PUT or PATCH: bytes [offset, offset+length) of the blob, streamed in 1 MiB pieces
/// (never the whole blob in memory), re-sendable (an auth retry serializes it again), reporting progress,
/// and keeping the attempt's deadline moving while bytes flow. The piece that ends the blob reads its
/// source to the end, so a verifying source (the blob store's) checks the digest before the registry is
/// told the upload is complete: a corrupt local blob fails the push instead of being sent.
/// </summary>
internal sealed class BlobUploadContent : HttpContent
{
    private const int PieceSize = 1024 * 1024;

    private readonly BlobReader reader;
    private readonly long offset;
    private readonly long length;
    private readonly long total;
    private readonly TransferDeadline deadline;
    private readonly Action<long> progress;

    public BlobUploadContent(BlobReader reader, long offset, long length, long total, TransferDeadline deadline, Action<long> progress)
    {
        this.reader = reader;
        this.offset = offset;
        this.length = length;
        this.total = total;
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

            if (offset + length == total && await source.ReadAsync(buffer.AsMemory(0, 1), cancellationToken).ConfigureAwait(false) != 0)
            {
                throw new InvalidDataException($"the blob source is longer than its declared {total} bytes");
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
