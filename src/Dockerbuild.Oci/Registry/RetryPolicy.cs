using System.Net;
using System.Net.Http.Headers;

namespace Dockerbuild.Oci.Registry;

/// <summary>What is worth another attempt, and how long to wait before it.</summary>
internal static class RetryPolicy
{
    public static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests or HttpStatusCode.InternalServerError
            or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    /// <summary>
    /// Connection errors, broken bodies and timeouts; never the caller's own cancellation, a missing local
    /// file, nor a local blob that failed its digest check (sending it again cannot make it right).
    /// </summary>
    public static bool IsTransient(Exception exception, CancellationToken cancellationToken) => exception switch
    {
        _ when LocalCorruption(exception) is not null => false,
        HttpRequestException { StatusCode: { } status } => IsTransient(status),
        FileNotFoundException or DirectoryNotFoundException or PathTooLongException => false,
        HttpRequestException or IOException or TimeoutException => true,
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        _ => false,
    };

    /// <summary>The digest failure of a local source, however deep the HTTP stack wrapped it.</summary>
    public static DigestMismatchException? LocalCorruption(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is DigestMismatchException mismatch)
            {
                return mismatch;
            }
        }

        return null;
    }

    /// <summary>Exponential back-off with jitter; a registry's Retry-After wins, capped by MaxRetryDelay.</summary>
    public static TimeSpan Backoff(int attempt, RegistryClientOptions options, RetryConditionHeaderValue? retryAfter = null)
    {
        if (retryAfter?.Delta is { } delta)
        {
            return Min(delta, options.MaxRetryDelay);
        }

        if (retryAfter?.Date is { } date)
        {
            var wait = date - DateTimeOffset.UtcNow;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : Min(wait, options.MaxRetryDelay);
        }

        var exponential = options.RetryBaseDelay * Math.Pow(2, Math.Min(attempt, 16));
        var jittered = exponential * (0.75 + (Random.Shared.NextDouble() / 2));
        return Min(jittered, options.MaxRetryDelay);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
