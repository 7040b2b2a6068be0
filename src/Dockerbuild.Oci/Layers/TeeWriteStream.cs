namespace Dockerbuild.Oci.Layers;

/// <summary>Writes everything to <paramref name="first"/>, then the same bytes to <paramref name="second"/>; disposes neither.</summary>
internal sealed class TeeWriteStream(Stream first, Stream second) : WriteOnlyStream
{
    public override bool CanWrite => true;

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await first.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        await second.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        first.Write(buffer, offset, count);
        second.Write(buffer, offset, count);
    }

    public override void Flush()
    {
        first.Flush();
        second.Flush();
    }
}
