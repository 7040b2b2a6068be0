using System.Security.Cryptography;

namespace Dockerbuild.Oci.Layers;

/// <summary>Passes writes through to another stream while hashing and counting them, so a digest comes out of the same pass that writes the bytes.</summary>
internal sealed class HashingWriteStream(Stream inner) : WriteOnlyStream
{
    private readonly IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long written;

    public override bool CanWrite => true;

    public override long Length => written;

    public override long Position
    {
        get => written;
        set => throw new NotSupportedException();
    }

    /// <summary>The digest of everything written so far; call once, after the last write.</summary>
    public Digest GetDigest() => Digest.FromSha256Hash(hash.GetHashAndReset());

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        hash.AppendData(buffer.Span);
        written += buffer.Length;
        await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    // Compressors write their trailers synchronously from Dispose; they still must be hashed.
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        hash.AppendData(buffer);
        written += buffer.Length;
        inner.Write(buffer);
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override void Flush() => inner.Flush();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            hash.Dispose();
        }

        base.Dispose(disposing);
    }
}
