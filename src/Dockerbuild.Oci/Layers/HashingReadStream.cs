using System.Security.Cryptography;

namespace Dockerbuild.Oci.Layers;

/// <summary>Hashes what is read through it, so a layer's diffID comes out of the pass that extracts it.</summary>
internal sealed class HashingReadStream(Stream inner) : ReadOnlyStream
{
    private readonly IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    /// <summary>The digest of everything read; call once, after the end of the stream.</summary>
    public Digest GetDigest() => Digest.FromSha256Hash(hash.GetHashAndReset());

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        hash.AppendData(buffer.Span[..read]);
        return read;
    }

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        hash.AppendData(buffer[..read]);
        return read;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            hash.Dispose();
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
