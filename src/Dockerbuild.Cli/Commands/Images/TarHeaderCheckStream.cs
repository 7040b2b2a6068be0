using Dockerbuild.Oci.Layers;

namespace Dockerbuild.Cli.Commands.Images;

/// <summary>
/// Passes a tarball through unchanged, refusing it as soon as its first 512-byte header proves it is not
/// a tar archive (bad checksum, or too short), so <c>import</c> of the wrong file fails instead of
/// making a layer of garbage. An all-zero first block is an empty archive and is accepted.
/// </summary>
internal sealed class TarHeaderCheckStream(Stream inner) : ReadOnlyStream
{
    private const int BlockSize = 512;

    private readonly byte[] header = new byte[BlockSize];
    private int seen;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Check(buffer.Span[..read]);
        return read;
    }

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        Check(buffer[..read]);
        return read;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private void Check(ReadOnlySpan<byte> read)
    {
        if (seen >= BlockSize)
        {
            return;
        }

        if (read.Length == 0)
        {
            throw new InvalidDataException(seen == 0 ? "the import source is empty, not a tar archive" : "the import source is not a tar archive (shorter than one tar header)");
        }

        var take = Math.Min(read.Length, BlockSize - seen);
        read[..take].CopyTo(header.AsSpan(seen));
        seen += take;
        if (seen == BlockSize && !IsHeader(header))
        {
            throw new InvalidDataException("the import source is not a tar archive (its first header's checksum is wrong)");
        }
    }

    private static bool IsHeader(ReadOnlySpan<byte> block)
    {
        if (!block.ContainsAnyExcept((byte)0))
        {
            return true;
        }

        long sum = 0;
        for (var i = 0; i < block.Length; i++)
        {
            sum += i is >= 148 and < 156 ? ' ' : block[i];
        }

        var field = System.Text.Encoding.ASCII.GetString(block.Slice(148, 8)).Trim(' ', '\0');
        try
        {
            return field.Length > 0 && Convert.ToInt64(field, 8) == sum;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
