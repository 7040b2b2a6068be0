using System.Security.Cryptography;

namespace Dockerbuild.Oci;

/// <summary>
/// A read-only stream that hashes what passes through and, when the end is reached, throws
/// <see cref="DigestMismatchException"/> unless the bytes match the expected digest (and size, when
/// known). A reader that consumes to the end therefore never accepts corrupt content silently.
/// Over a seekable stream it seeks too (an upload resuming at an offset): the bytes before the new
/// position are hashed again, so verification still covers the whole content.
/// </summary>
public sealed class DigestVerifyingStream : Stream
{
    private readonly Stream inner;
    private readonly Digest expected;
    private readonly long? expectedSize;
    private readonly string what;
    private readonly IncrementalHash hash;
    private long position;
    private bool verified;

    public DigestVerifyingStream(Stream inner, Digest expected, long? expectedSize, string what)
    {
        ArgumentNullException.ThrowIfNull(inner);
        if (expected.Algorithm != "sha256")
        {
            throw new NotSupportedException($"Cannot verify {expected}: only sha256 content is supported.");
        }

        this.inner = inner;
        this.expected = expected;
        this.expectedSize = expectedSize;
        this.what = what;
        hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    }

    public override bool CanRead => true;

    public override bool CanSeek => inner.CanSeek;

    public override bool CanWrite => false;

    public override long Length => expectedSize ?? inner.Length;

    public override long Position
    {
        get => position;
        set => Seek(value, SeekOrigin.Begin);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        return Account(buffer[..read], buffer.Length);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await Layers.LocalFileRead.ReadAsync(inner, buffer, cancellationToken).ConfigureAwait(false);
        return Account(buffer.Span[..read], buffer.Length);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        if (!inner.CanSeek)
        {
            throw new NotSupportedException();
        }

        var target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => position + offset,
            _ => Length + offset,
        };
        ArgumentOutOfRangeException.ThrowIfNegative(target, nameof(offset));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(target, Length, nameof(offset));
        if (target == position)
        {
            // Re-reading the whole prefix to stand still would double the hashing of every resumed upload.
            return position;
        }

        hash.GetHashAndReset();
        inner.Position = 0;
        position = 0;
        verified = false;
        var buffer = new byte[(int)Math.Min(1 << 16, Math.Max(1, target))];
        while (position < target)
        {
            var read = inner.Read(buffer, 0, (int)Math.Min(buffer.Length, target - position));
            if (read == 0)
            {
                break;
            }

            hash.AppendData(buffer, 0, read);
            position += read;
        }

        return position;
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
            hash.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync().ConfigureAwait(false);
        hash.Dispose();
        await base.DisposeAsync().ConfigureAwait(false);
    }

    // A read of zero bytes into a non-empty buffer is the end of the content: the moment to verify.
    private int Account(ReadOnlySpan<byte> data, int requested)
    {
        if (data.Length > 0)
        {
            hash.AppendData(data);
            position += data.Length;
            if (position > expectedSize)
            {
                throw new DigestMismatchException($"{what} is corrupt: more than the expected {expectedSize} bytes.");
            }
        }
        else if (requested > 0 && !verified)
        {
            Verify();
        }

        return data.Length;
    }

    private void Verify()
    {
        verified = true;
        if (expectedSize is { } size && position != size)
        {
            throw new DigestMismatchException($"{what} is truncated or corrupt: expected {size} bytes, got {position}.");
        }

        var actual = Digest.FromSha256Hash(hash.GetHashAndReset());
        if (actual != expected)
        {
            throw new DigestMismatchException(expected, actual, what);
        }
    }
}
