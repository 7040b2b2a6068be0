using System.Globalization;
using System.Text;

namespace Dockerbuild.Testing.Registry;

/// <summary>
/// Just enough HTTP/1.1 framing for the fault proxy: a buffered reader of head lines and body bytes,
/// and copying of Content-Length and chunked bodies verbatim.
/// </summary>
internal sealed class HttpWire(Stream stream)
{
    private readonly byte[] buffer = new byte[64 * 1024];
    private int start;
    private int end;

    public Stream Stream => stream;

    /// <summary>Reads a message head (start line + headers); null at a clean end of stream.</summary>
    public async Task<HttpHead?> ReadHeadAsync(CancellationToken cancellationToken)
    {
        var first = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
        while (first is "")
        {
            first = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
        }

        if (first is null)
        {
            return null;
        }

        var headers = new List<KeyValuePair<string, string>>();
        while (await ReadLineAsync(cancellationToken).ConfigureAwait(false) is { Length: > 0 } line)
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            headers.Add(new(line[..colon].Trim(), line[(colon + 1)..].Trim()));
        }

        return new HttpHead(first, headers);
    }

    private async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        var line = new StringBuilder();
        while (true)
        {
            if (start == end && !await FillAsync(cancellationToken).ConfigureAwait(false))
            {
                return line.Length == 0 ? null : throw new IOException("connection closed inside a message head");
            }

            var b = buffer[start++];
            if (b == 0x16 && line.Length == 0)
            {
                // A TLS ClientHello (a client probing for HTTPS): this proxy speaks plain HTTP only.
                throw new IOException("TLS handshake sent to the plain-HTTP proxy");
            }

            if (b == '\n')
            {
                return line.ToString().TrimEnd('\r');
            }

            line.Append((char)b);
        }
    }

    private async Task<bool> FillAsync(CancellationToken cancellationToken)
    {
        start = 0;
        end = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        return end > 0;
    }

    /// <summary>Reads what is buffered or arrives next; 0 at end of stream.</summary>
    public async Task<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        if (start == end && !await FillAsync(cancellationToken).ConfigureAwait(false))
        {
            return 0;
        }

        var n = Math.Min(destination.Length, end - start);
        buffer.AsMemory(start, n).CopyTo(destination);
        start += n;
        return n;
    }

    /// <summary>Copies a body of the given framing to <paramref name="sink"/> (null discards it).</summary>
    public async Task CopyBodyAsync(HttpHead head, bool hasBody, Func<ReadOnlyMemory<byte>, Task>? sink, CancellationToken cancellationToken)
    {
        if (!hasBody)
        {
            return;
        }

        if (head.IsChunked)
        {
            while (true)
            {
                var sizeLine = await ReadLineAsync(cancellationToken).ConfigureAwait(false) ?? throw new IOException("connection closed inside a chunked body");
                await Emit(sizeLine + "\r\n").ConfigureAwait(false);
                var size = long.Parse(sizeLine.Split(';')[0].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                if (size == 0)
                {
                    while (await ReadLineAsync(cancellationToken).ConfigureAwait(false) is { Length: > 0 } trailer)
                    {
                        await Emit(trailer + "\r\n").ConfigureAwait(false);
                    }

                    await Emit("\r\n").ConfigureAwait(false);
                    return;
                }

                await CopyExactAsync(size, sink, cancellationToken).ConfigureAwait(false);
                await ReadLineAsync(cancellationToken).ConfigureAwait(false);
                await Emit("\r\n").ConfigureAwait(false);
            }
        }

        if (head.ContentLength is { } length)
        {
            await CopyExactAsync(length, sink, cancellationToken).ConfigureAwait(false);
            return;
        }

        var piece = new byte[64 * 1024];
        int read;
        while ((read = await ReadAsync(piece, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (sink is not null)
            {
                await sink(piece.AsMemory(0, read)).ConfigureAwait(false);
            }
        }

        async Task Emit(string text)
        {
            if (sink is not null)
            {
                await sink(Encoding.ASCII.GetBytes(text)).ConfigureAwait(false);
            }
        }
    }

    private async Task CopyExactAsync(long length, Func<ReadOnlyMemory<byte>, Task>? sink, CancellationToken cancellationToken)
    {
        var piece = new byte[64 * 1024];
        while (length > 0)
        {
            var read = await ReadAsync(piece.AsMemory(0, (int)Math.Min(piece.Length, length)), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new IOException("connection closed inside a body");
            }

            if (sink is not null)
            {
                await sink(piece.AsMemory(0, read)).ConfigureAwait(false);
            }

            length -= read;
        }
    }
}
