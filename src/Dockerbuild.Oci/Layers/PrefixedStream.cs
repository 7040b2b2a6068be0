namespace Dockerbuild.Oci.Layers;

/// <summary>Replays bytes already read from a non-seekable stream (a sniffed magic number), then the rest of it.</summary>
internal sealed class PrefixedStream(ReadOnlyMemory<byte> prefix, Stream rest) : ReadOnlyStream
{
    private ReadOnlyMemory<byte> prefix = prefix;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (prefix.IsEmpty)
        {
            return await rest.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }

        return TakePrefix(buffer.Span);
    }

    // Decompressors may read synchronously; the core only reads through ReadAsync.
    public override int Read(Span<byte> buffer) => prefix.IsEmpty ? rest.Read(buffer) : TakePrefix(buffer);

    private int TakePrefix(Span<byte> buffer)
    {
        var n = Math.Min(buffer.Length, prefix.Length);
        prefix.Span[..n].CopyTo(buffer);
        prefix = prefix[n..];
        return n;
    }
}
