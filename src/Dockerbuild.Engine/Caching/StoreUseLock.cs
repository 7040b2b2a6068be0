namespace Dockerbuild.Engine.Caching;

/// <summary>
/// Keeps prune away from builds and runs in flight: each build or run holds a shared flock on
/// <see cref="StorePaths.UseLock"/> for its whole duration, and prune takes it exclusively, so it never
/// removes a blob written but not yet referenced, a cache entry just read, or a layer directory mounted
/// as a lowerdir. The kernel drops a killed process's lock, so a killed build never blocks prune.
/// </summary>
internal sealed class StoreUseLock : IDisposable
{
    private readonly FileStream stream;

    private StoreUseLock(FileStream stream) => this.stream = stream;

    /// <summary>A build's or run's share: waits only while a prune runs.</summary>
    public static Task<StoreUseLock> AcquireSharedAsync(string root, CancellationToken cancellationToken) =>
        AcquireAsync(root, exclusive: false, onWaiting: null, cancellationToken);

    /// <summary>Prune's hold: waits for the builds and runs in flight to finish, calling <paramref name="onWaiting"/> once if it has to.</summary>
    public static Task<StoreUseLock> AcquireExclusiveAsync(string root, Action? onWaiting, CancellationToken cancellationToken) =>
        AcquireAsync(root, exclusive: true, onWaiting, cancellationToken);

    public void Dispose() => stream.Dispose();

    private static async Task<StoreUseLock> AcquireAsync(string root, bool exclusive, Action? onWaiting, CancellationToken cancellationToken)
    {
        var path = StorePaths.UseLock(root);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);

        // Opening for writing with sharing takes no lock, so this only makes sure the file exists.
        using (new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete))
        {
        }

        var delay = 10;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                // .NET on Unix: FileShare.None is flock(LOCK_EX); a read-only open with sharing is flock(LOCK_SH).
                return new StoreUseLock(exclusive
                    ? new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None)
                    : new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read));
            }
            catch (IOException)
            {
                onWaiting?.Invoke();
                onWaiting = null;
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                delay = Math.Min(delay * 2, 200);
            }
        }
    }
}
