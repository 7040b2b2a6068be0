using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;

namespace Dockerbuild.Oci.Registry;

/// <summary>Blob transfers: existence checks, streamed and resumable downloads, mounts, monolithic and chunked uploads.</summary>
public sealed partial class RegistryClient
{
    private const int DownloadPieceSize = 1024 * 1024;

    /// <summary>Whether the repository has the blob (HEAD).</summary>
    public async Task<bool> BlobExistsAsync(ImageReference repository, Digest digest, CancellationToken cancellationToken)
    {
        var connection = await ConnectAsync(repository.Registry, cancellationToken).ConfigureAwait(false);
        return await WithRetriesAsync(repository.Registry, $"checking blob {digest}", _ => BlobExistsOnceAsync(connection, repository, digest, PullScope(repository), cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> BlobExistsOnceAsync(RegistryConnection connection, ImageReference repository, Digest digest, string scope, CancellationToken cancellationToken)
    {
        using var deadline = NewDeadline(cancellationToken);
        using var response = await SendOnceAsync(connection, HttpMethod.Head, connection.Resolve($"v2/{repository.Repository}/blobs/{digest}"), scope, deadline).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        await EnsureSuccessAsync(response, repository.Registry, $"blob {digest}").ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Streams a blob into <paramref name="destination"/> (written sequentially, never held in memory),
    /// verifying size and digest. A broken transfer resumes with a Range request from the last byte written;
    /// a wrong digest throws <see cref="RegistryDigestMismatchException"/> after the bytes were written, so
    /// the caller must discard them.
    /// </summary>
    public async Task PullBlobAsync(ImageReference repository, Descriptor blob, Stream destination, IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
    {
        var connection = await ConnectAsync(repository.Registry, cancellationToken).ConfigureAwait(false);
        var uri = connection.Resolve($"v2/{repository.Repository}/blobs/{blob.Digest}");
        // The store's stream hashes anyway; hashing the same bytes here too would cost a second pass.
        var hashing = blob.Digest.Algorithm == "sha256" && destination is IHashingStream { Written: 0 } h ? h : null;
        using var hash = hashing is null ? IncrementalHash.CreateHash(HashAlgorithmName.SHA256) : null;
        var buffer = ArrayPool<byte>.Shared.Rent(DownloadPieceSize);
        long written = 0;
        var failures = 0;
        try
        {
            while (true)
            {
                var before = written;
                try
                {
                    using var deadline = NewDeadline(cancellationToken);
                    using var response = await SendOnceAsync(connection, HttpMethod.Get, uri, PullScope(repository), deadline,
                        configure: r => r.Headers.Range = written > 0 ? new RangeHeaderValue(written, null) : null).ConfigureAwait(false);
                    await EnsureSuccessAsync(response, repository.Registry, $"blob {blob.Digest}").ConfigureAwait(false);

                    // A registry that ignores Range answers 200 with the whole blob: skip what we have.
                    var skip = written > 0 && response.StatusCode != HttpStatusCode.PartialContent ? written : 0;
                    await using var body = await response.Content.ReadAsStreamAsync(deadline.Token).ConfigureAwait(false);
                    int read;
                    while ((read = await body.ReadAsync(buffer.AsMemory(0, DownloadPieceSize), deadline.Token).ConfigureAwait(false)) > 0)
                    {
                        deadline.Activity();
                        var piece = buffer.AsMemory(0, read);
                        if (skip > 0)
                        {
                            var dropped = (int)Math.Min(skip, read);
                            skip -= dropped;
                            piece = piece[dropped..];
                        }

                        if (written + piece.Length > blob.Size)
                        {
                            throw new RegistryException(repository.Registry, $"blob {blob.Digest} from {repository.Registry} is larger than its declared {blob.Size} bytes; it was refused");
                        }

                        hash?.AppendData(piece.Span);
                        await destination.WriteAsync(piece, cancellationToken).ConfigureAwait(false);
                        written += piece.Length;
                        progress?.Report(new TransferProgress(blob.Digest, written, blob.Size, TransferStatus.Downloading));
                    }

                    if (written < blob.Size)
                    {
                        throw new IOException($"the blob body ended after {written} of {blob.Size} bytes");
                    }

                    break;
                }
                catch (Exception e) when (RetryPolicy.IsTransient(e, cancellationToken))
                {
                    // Progress earns new attempts: only failures without a byte gained count against the limit.
                    failures = written > before ? 0 : failures + 1;
                    if (failures > Options.MaxRetries)
                    {
                        throw new RegistryTransportException(repository.Registry, $"pulling blob {blob.Digest} failed after {failures} attempts without progress: {Describe(e)}", e);
                    }

                    progress?.Report(new TransferProgress(blob.Digest, written, blob.Size, TransferStatus.Retrying));
                    await Task.Delay(RetryPolicy.Backoff(failures, Options, (e as RetryableStatusException)?.RetryAfter), cancellationToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        var actual = blob.Digest.Algorithm != "sha256" ? blob.Digest
            : hashing?.CurrentSha256() ?? Digest.FromSha256Hash(hash!.GetHashAndReset());
        if (actual != blob.Digest)
        {
            throw new RegistryDigestMismatchException(repository.Registry, blob.Digest, actual, "blob");
        }

        progress?.Report(new TransferProgress(blob.Digest, written, blob.Size, TransferStatus.Complete));
    }

    /// <summary>
    /// Makes the blob present in the repository: skipped when HEAD finds it, mounted from
    /// <paramref name="mountFrom"/> (another repository of the same registry) when possible, else uploaded
    /// from <paramref name="open"/> in one PUT (up to MonolithicUploadLimit) or in a resumable PATCH upload.
    /// </summary>
    public async Task<BlobPushResult> PushBlobAsync(ImageReference repository, Descriptor blob, Func<CancellationToken, Task<Stream>> open, string? mountFrom,
        IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
    {
        var connection = await ConnectAsync(repository.Registry, cancellationToken).ConfigureAwait(false);
        var scope = PushScope(repository) + (mountFrom is null || mountFrom == repository.Repository ? "" : $" repository:{mountFrom}:pull");
        await using var reader = new BlobReader(open);
        try
        {
            var result = await PushBlobOnceOrMoreAsync(connection, repository, blob, reader, mountFrom, scope, progress, cancellationToken).ConfigureAwait(false);
            progress?.Report(new TransferProgress(blob.Digest, blob.Size, blob.Size, result switch
            {
                BlobPushResult.Exists => TransferStatus.Exists,
                BlobPushResult.Mounted => TransferStatus.Mounted,
                _ => TransferStatus.Complete,
            }));
            return result;
        }
        catch (HttpRequestException e) when (RetryPolicy.LocalCorruption(e) is { } corruption)
        {
            // HttpClient wraps what the request body threw; the cause is the local blob, so say that.
            throw corruption;
        }
    }

    private Task<BlobPushResult> PushBlobOnceOrMoreAsync(RegistryConnection connection, ImageReference repository, Descriptor blob, BlobReader reader, string? mountFrom, string scope,
        IProgress<TransferProgress>? progress, CancellationToken cancellationToken) =>
        WithRetriesAsync(repository.Registry, $"pushing blob {blob.Digest}", async _ =>
        {
            if (await BlobExistsOnceAsync(connection, repository, blob.Digest, scope, cancellationToken).ConfigureAwait(false))
            {
                return BlobPushResult.Exists;
            }

            // Open the source before talking to the registry: a missing or wrong-sized local blob is the
            // caller's error, reported as is, never retried as if the network had failed.
            var source = await reader.AtAsync(0, cancellationToken).ConfigureAwait(false);
            if (source.CanSeek && source.Length != blob.Size)
            {
                throw new InvalidDataException($"the local blob {blob.Digest} has {source.Length} bytes, but its descriptor says {blob.Size}");
            }

            var (mounted, location) = await StartUploadAsync(connection, repository, blob, mountFrom, scope, cancellationToken).ConfigureAwait(false);
            if (mounted)
            {
                return BlobPushResult.Mounted;
            }

            Action<long> report = sent => progress?.Report(new TransferProgress(blob.Digest, sent, blob.Size, TransferStatus.Uploading));
            if (blob.Size <= Math.Min(Options.MonolithicUploadLimit, Options.ChunkSize ?? long.MaxValue))
            {
                using var deadline = NewDeadline(cancellationToken);
                using var content = new BlobUploadContent(reader, 0, blob.Size, blob.Size, deadline, report);
                using var response = await SendOnceAsync(connection, HttpMethod.Put, WithQuery(location, "digest", blob.Digest.ToString()), scope, deadline, content).ConfigureAwait(false);
                await EnsureSuccessAsync(response, repository.Registry, $"upload of blob {blob.Digest}").ConfigureAwait(false);
            }
            else
            {
                await UploadChunksAsync(connection, repository, blob, reader, location, scope, report, cancellationToken).ConfigureAwait(false);
            }

            return BlobPushResult.Uploaded;
        }, cancellationToken, _ => progress?.Report(new TransferProgress(blob.Digest, 0, blob.Size, TransferStatus.Retrying)));

    /// <summary>POST to the uploads endpoint (with mount= and from= when mounting): 201 means mounted, 202 gives the upload URL.</summary>
    private async Task<(bool Mounted, Uri Location)> StartUploadAsync(RegistryConnection connection, ImageReference repository, Descriptor blob, string? mountFrom, string scope, CancellationToken cancellationToken)
    {
        var path = $"v2/{repository.Repository}/blobs/uploads/";
        if (mountFrom is not null && mountFrom != repository.Repository)
        {
            path += $"?mount={Uri.EscapeDataString(blob.Digest.ToString())}&from={Uri.EscapeDataString(mountFrom)}";
        }

        using var deadline = NewDeadline(cancellationToken);
        using var response = await SendOnceAsync(connection, HttpMethod.Post, connection.Resolve(path), scope, deadline).ConfigureAwait(false);
        await EnsureSuccessAsync(response, repository.Registry, $"upload of blob {blob.Digest}").ConfigureAwait(false);
        var location = response.Headers.Location is { } l ? new Uri(connection.Resolve(path), l) : null;
        return response.StatusCode == HttpStatusCode.Created
            ? (true, location ?? connection.BaseUri)
            : (false, location ?? throw new RegistryException(repository.Registry, $"{repository.Registry} started an upload without a Location"));
    }

    /// <summary>
    /// PATCH with Content-Range (the rest of the blob in one streamed request, or chunks of ChunkSize when
    /// set), then PUT ?digest=. A failed PATCH asks the registry how much it holds (GET on the upload URL,
    /// Range header) and resumes from there.
    /// </summary>
    private async Task UploadChunksAsync(RegistryConnection connection, ImageReference repository, Descriptor blob, BlobReader reader, Uri location, string scope,
        Action<long> report, CancellationToken cancellationToken)
    {
        long offset = 0;
        var failures = 0;
        while (offset < blob.Size)
        {
            var length = Math.Min(Options.ChunkSize ?? long.MaxValue, blob.Size - offset);
            try
            {
                using var deadline = NewDeadline(cancellationToken);
                using var content = new BlobUploadContent(reader, offset, length, blob.Size, deadline, report);
                content.Headers.TryAddWithoutValidation("Content-Range", $"{offset.ToString(CultureInfo.InvariantCulture)}-{(offset + length - 1).ToString(CultureInfo.InvariantCulture)}");
                using var response = await SendOnceAsync(connection, HttpMethod.Patch, location, scope, deadline, content).ConfigureAwait(false);
                await EnsureSuccessAsync(response, repository.Registry, $"upload of blob {blob.Digest}").ConfigureAwait(false);
                location = response.Headers.Location is { } next ? new Uri(location, next) : location;
                offset = RangeEnd(response) ?? offset + length;
                failures = 0;
            }
            catch (Exception e) when (RetryPolicy.IsTransient(e, cancellationToken))
            {
                if (++failures > Options.MaxRetries)
                {
                    throw new RegistryTransportException(repository.Registry, $"uploading blob {blob.Digest} failed after {failures} attempts: {Describe(e)}", e);
                }

                await Task.Delay(RetryPolicy.Backoff(failures - 1, Options, (e as RetryableStatusException)?.RetryAfter), cancellationToken).ConfigureAwait(false);
                (location, offset) = await ResumePointAsync(connection, repository, location, scope, cancellationToken).ConfigureAwait(false);
            }
        }

        await WithRetriesAsync(repository.Registry, $"completing the upload of blob {blob.Digest}", async _ =>
        {
            using var deadline = NewDeadline(cancellationToken);
            using var content = new ByteArrayContent([]);
            using var response = await SendOnceAsync(connection, HttpMethod.Put, WithQuery(location, "digest", blob.Digest.ToString()), scope, deadline, content).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.NotFound && await BlobExistsOnceAsync(connection, repository, blob.Digest, scope, cancellationToken).ConfigureAwait(false))
            {
                // An earlier attempt completed it but its answer was lost.
                return true;
            }

            await EnsureSuccessAsync(response, repository.Registry, $"upload of blob {blob.Digest}").ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Where a broken chunked upload continues. A registry that lost or cancelled the session (distribution
    /// cancels one whose state token lags behind, e.g. after a PATCH whose answer was lost) makes the
    /// whole blob push start over, which <see cref="PushBlobAsync"/> does for I/O errors.
    /// </summary>
    private async Task<(Uri Location, long Offset)> ResumePointAsync(RegistryConnection connection, ImageReference repository, Uri location, string scope, CancellationToken cancellationToken)
    {
        try
        {
            return await UploadStatusAsync(connection, repository, location, scope, cancellationToken).ConfigureAwait(false);
        }
        catch (RegistryException e) when (e is not RegistryAuthenticationException)
        {
            throw new IOException($"the registry dropped the upload session ({e.Message}); starting the blob again", e);
        }
    }

    private async Task<(Uri Location, long Offset)> UploadStatusAsync(RegistryConnection connection, ImageReference repository, Uri location, string scope, CancellationToken cancellationToken)
    {
        using var deadline = NewDeadline(cancellationToken);
        using var response = await SendOnceAsync(connection, HttpMethod.Get, location, scope, deadline).ConfigureAwait(false);
        await EnsureSuccessAsync(response, repository.Registry, "upload status").ConfigureAwait(false);
        var next = response.Headers.Location is { } l ? new Uri(location, l) : location;
        return (next, RangeEnd(response) ?? 0);
    }

    /// <summary>The next offset from an upload's <c>Range: 0-N</c> header (N inclusive), or null.</summary>
    private static long? RangeEnd(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Range", out var values))
        {
            return null;
        }

        var range = values.First();
        if (range is "0-0" or "bytes=0-0")
        {
            // distribution writes 0-0 for an empty upload as well as for one byte; chunks are never one byte.
            return 0;
        }

        var dash = range.LastIndexOf('-');
        return dash >= 0 && long.TryParse(range[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var end) ? end + 1 : null;
    }

    private static Uri WithQuery(Uri location, string name, string value)
    {
        var builder = new UriBuilder(location);
        var query = builder.Query.TrimStart('?');
        builder.Query = (query.Length > 0 ? query + "&" : "") + name + "=" + Uri.EscapeDataString(value);
        return builder.Uri;
    }
}
