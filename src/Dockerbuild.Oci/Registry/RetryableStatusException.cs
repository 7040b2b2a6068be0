using System.Net;
using System.Net.Http.Headers;

namespace Dockerbuild.Oci.Registry;

/// <summary>A 5xx/429 answer, turned into an exception so one retry loop handles it and connection errors alike.</summary>
internal sealed class RetryableStatusException(HttpStatusCode status, RetryConditionHeaderValue? retryAfter)
    : HttpRequestException($"the registry answered {(int)status} {status}", null, status)
{
    public RetryConditionHeaderValue? RetryAfter { get; } = retryAfter;
}
