namespace Dockerbuild.Oci.Storage;

/// <summary>
/// A cross-process exclusive lock: a lock file opened with FileShare.None (an flock on Unix), retried
/// until free. Held only around short read-modify-write cycles of the store's index.
/// </summary>
internal sealed class FileLock : IAsyncDisposable, IDisposable
{
    private readonly FileStream stream;

    private FileLock(FileStream stream) => this.stream = stream;

    public static async Task<FileLock> AcquireAsync(string path, CancellationToken cancellationToken)
    {
        var delay = 1;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                return new FileLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException)
            {
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                delay = Math.Min(delay * 2, 50);
            }
        }
    }

    public void Dispose() => stream.Dispose();

    public ValueTask DisposeAsync() => stream.DisposeAsync();
}
