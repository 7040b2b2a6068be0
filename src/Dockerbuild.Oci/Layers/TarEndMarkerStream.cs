namespace Dockerbuild.Oci.Layers;

/// <summary>
/// Supplies the end-of-archive marker (two zero blocks) to a tar that ends cleanly on a block boundary
/// without one, as umoci's layers do. Go's archive/tar, which BuildKit and containerd read layers
/// with, takes a stream ending exactly at a header as the end of the archive; .NET's TarReader does so
/// only on seekable streams. A stream ending inside a block is left short, so truncation still fails.
/// Whatever hashes the layer sits below this stream, so the marker never enters a diffID.
/// </summary>
public sealed class TarEndMarkerStream(Stream inner) : ReadOnlyStream
{
    private const int BlockSize = 512;
    private long position;
    private int markerLeft = -1;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        markerLeft < 0 ? AfterInnerRead(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false), buffer.Span) : Marker(buffer.Span);

    public override int Read(Span<byte> buffer) => markerLeft < 0 ? AfterInnerRead(inner.Read(buffer), buffer) : Marker(buffer);

    private int AfterInnerRead(int read, Span<byte> buffer)
    {
        if (read > 0 || buffer.IsEmpty)
        {
            position += read;
            return read;
        }

        markerLeft = position % BlockSize == 0 ? 2 * BlockSize : 0;
        return Marker(buffer);
    }

    private int Marker(Span<byte> buffer)
    {
        var count = Math.Min(buffer.Length, markerLeft);
        buffer[..count].Clear();
        markerLeft -= count;
        return count;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
