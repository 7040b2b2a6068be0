namespace Dockerbuild.Oci.Layers;

/// <summary>
/// Reads a stream, directly when it is a local file opened for synchronous I/O: Linux has no
/// asynchronous file reads, so .NET runs an "asynchronous" one as a blocking read on a pool thread,
/// and on a busy machine each of those hops waits for a core. Reading a few hundred KiB from the
/// page cache on the calling thread is cheaper than the hop. Other streams are read asynchronously.
/// </summary>
public static class LocalFileRead
{
    public static ValueTask<int> ReadAsync(Stream stream, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (stream is FileStream { IsAsync: false } file)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return ValueTask.FromResult(file.Read(buffer.Span));
        }

        return stream.ReadAsync(buffer, cancellationToken);
    }
}
