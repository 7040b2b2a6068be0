namespace Dockerbuild.Engine.Execution;

/// <summary>sharing=locked and private: one RUN at a time, across processes, holds a cache mount (an exclusively opened lock file).</summary>
internal sealed class CacheMountLock : IAsyncDisposable
{
    private readonly FileStream stream;

    private CacheMountLock(FileStream stream) => this.stream = stream;

    public static async Task<CacheMountLock> AcquireAsync(string path, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return new CacheMountLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException)
            {
                await Task.Delay(50, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The lock if no one holds it, else null at once.</summary>
    public static Task<CacheMountLock?> TryAcquireAsync(string path)
    {
        try
        {
            return Task.FromResult<CacheMountLock?>(new CacheMountLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None)));
        }
        catch (IOException)
        {
            return Task.FromResult<CacheMountLock?>(null);
        }
    }

    public ValueTask DisposeAsync() => stream.DisposeAsync();
}
