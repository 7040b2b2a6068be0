namespace Dockerbuild.Oci.Registry;

/// <summary>
/// Reads one blob for upload from any offset: seeks when the stream can, otherwise reopens and skips,
/// so a retried chunk or a resumed upload re-sends exactly the right bytes.
/// </summary>
internal sealed class BlobReader(Func<CancellationToken, Task<Stream>> open) : IAsyncDisposable
{
    private Stream? stream;
    private long position;

    public async Task<Stream> AtAsync(long offset, CancellationToken cancellationToken)
    {
        if (stream is { CanSeek: true })
        {
            stream.Position = offset;
            position = offset;
            return stream;
        }

        if (stream is null || position > offset)
        {
            if (stream is not null)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }

            stream = await open(cancellationToken).ConfigureAwait(false);
            position = 0;
            if (stream.CanSeek)
            {
                stream.Position = offset;
                position = offset;
                return stream;
            }
        }

        var skip = new byte[81920];
        while (position < offset)
        {
            var read = await stream.ReadAsync(skip.AsMemory(0, (int)Math.Min(skip.Length, offset - position)), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new InvalidDataException($"the blob source ended at byte {position}, before offset {offset}");
            }

            position += read;
        }

        return stream;
    }

    /// <summary>Records bytes consumed from the stream returned by <see cref="AtAsync"/>.</summary>
    public void Advance(long count) => position += count;

    public async ValueTask DisposeAsync()
    {
        if (stream is not null)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
        }
    }
}
