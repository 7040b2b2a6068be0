namespace Dockerbuild.Oci.Registry;

/// <summary>
/// Writes one line per HTTP exchange for <c>--debug</c> output: method, URL, the Authorization scheme with
/// its value replaced by <c>***</c>, and the status. Sits under the auth handler, so it sees what is sent,
/// token requests included; bodies are never written.
/// </summary>
internal sealed class RegistryTraceHandler(Action<string> trace) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var authorization = request.Headers.Authorization is { } header ? $" (Authorization: {header.Scheme} ***)" : "";
        var range = request.Headers.Range is { } r ? $" (Range: {r})" : "";
        try
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            trace($"{request.Method} {request.RequestUri}{authorization}{range} -> {(int)response.StatusCode} {response.ReasonPhrase}");
            return response;
        }
        catch (Exception e)
        {
            trace($"{request.Method} {request.RequestUri}{authorization}{range} -> {e.GetType().Name}: {e.Message}");
            throw;
        }
    }
}
