namespace Dockerbuild.Oci.Layers;

/// <summary>Replays bytes already read from a non-seekable stream (a sniffed magic number), then the rest of it.</summary>
internal sealed class PrefixedStream(ReadOnlyMemory<byte> prefix, Stream rest) : Stream
{
    private ReadOnlyMemory<byte> prefix = prefix;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (prefix.IsEmpty)
        {
            return await rest.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }

        return TakePrefix(buffer.Span);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    // Decompressors may read synchronously; the core only reads through ReadAsync.
    public override int Read(Span<byte> buffer) => prefix.IsEmpty ? rest.Read(buffer) : TakePrefix(buffer);

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private int TakePrefix(Span<byte> buffer)
    {
        var n = Math.Min(buffer.Length, prefix.Length);
        prefix.Span[..n].CopyTo(buffer);
        prefix = prefix[n..];
        return n;
    }
}
