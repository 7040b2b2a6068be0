using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Dockerbuild.Oci.Json;

namespace Dockerbuild.Oci.Registry;

/// <summary>
/// A client of the OCI distribution API (and Docker Hub's flavour of it): manifests, blobs, tags and the
/// catalog, plus whole-image pull and push in RegistryClient.Images.cs. One instance keeps one HTTP stack
/// per registry host (connection pool, TLS policy, auth tokens); share it and dispose it at the end.
/// </summary>
public sealed partial class RegistryClient : IDisposable
{
    /// <summary>Manifests are small documents; anything larger is refused rather than buffered.</summary>
    private const int MaxManifestSize = 4 * 1024 * 1024;

    private static readonly string[] ManifestMediaTypes =
        [MediaTypes.OciManifest, MediaTypes.OciIndex, MediaTypes.DockerManifest, MediaTypes.DockerManifestList];

    private readonly ConcurrentDictionary<string, Lazy<Task<RegistryConnection>>> connections = new(StringComparer.Ordinal);

    // Manifests fetched by this client, by registry, repository and digest: content-addressed, so a pull
    // that resolved a tag (e.g. to show its layers) gets it again by digest without a second request.
    private readonly ConcurrentDictionary<(string Registry, string Repository, Digest Digest), RegistryManifest> manifests = new();

    public RegistryClient(RegistryClientOptions? options = null)
    {
        Options = options ?? new RegistryClientOptions();
    }

    public RegistryClientOptions Options { get; }

    /// <summary>
    /// Checks that the registry answers and that the credentials (if any) are accepted, as <c>login</c> does;
    /// throws <see cref="RegistryAuthenticationException"/> when they are not.
    /// </summary>
    public async Task PingAsync(string registry, CancellationToken cancellationToken)
    {
        var connection = await ConnectAsync(registry, cancellationToken).ConfigureAwait(false);
        await WithRetriesAsync(registry, "ping", async _ =>
        {
            using var deadline = NewDeadline(cancellationToken);
            using var response = await SendOnceAsync(connection, HttpMethod.Get, connection.Resolve("v2/"), "", deadline).ConfigureAwait(false);
            await EnsureSuccessAsync(response, registry, "the registry API (/v2/)").ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Fetches a manifest or index by tag or digest, exactly as served, verifying its digest.</summary>
    public async Task<RegistryManifest> GetManifestAsync(ImageReference reference, CancellationToken cancellationToken)
    {
        if (reference.Digest is { } known && manifests.TryGetValue((reference.Registry, reference.Repository, known), out var cached))
        {
            return cached;
        }

        var connection = await ConnectAsync(reference.Registry, cancellationToken).ConfigureAwait(false);
        var uri = connection.Resolve($"v2/{reference.Repository}/manifests/{reference.ManifestReference}");
        var fetched = await WithRetriesAsync(reference.Registry, $"pulling the manifest of {reference}", async _ =>
        {
            using var deadline = NewDeadline(cancellationToken);
            using var response = await SendOnceAsync(connection, HttpMethod.Get, uri, PullScope(reference), deadline, configure: AcceptManifests).ConfigureAwait(false);
            await EnsureSuccessAsync(response, reference.Registry, $"manifest {reference.FamiliarString}").ConfigureAwait(false);
            var content = await ReadSmallBodyAsync(response, reference.Registry, deadline).ConfigureAwait(false);
            var mediaType = response.Content.Headers.ContentType?.MediaType;
            if (mediaType is null || !ManifestMediaTypes.Contains(mediaType))
            {
                mediaType = OciJson.DetectMediaType(content) ?? mediaType ?? MediaTypes.OciManifest;
            }

            var manifest = new RegistryManifest(mediaType, content);
            var claimed = reference.Digest ?? ContentDigestHeader(response);
            if (claimed is { Algorithm: "sha256" } expected && expected != manifest.Digest)
            {
                throw new RegistryDigestMismatchException(reference.Registry, expected, manifest.Digest, "manifest");
            }

            return manifest;
        }, cancellationToken).ConfigureAwait(false);
        manifests[(reference.Registry, reference.Repository, fetched.Digest)] = fetched;
        return fetched;
    }

    /// <summary>The descriptor of a manifest by tag or digest (HEAD), or null when it does not exist.</summary>
    public async Task<Descriptor?> ResolveAsync(ImageReference reference, CancellationToken cancellationToken)
    {
        var connection = await ConnectAsync(reference.Registry, cancellationToken).ConfigureAwait(false);
        var uri = connection.Resolve($"v2/{reference.Repository}/manifests/{reference.ManifestReference}");
        return await WithRetriesAsync(reference.Registry, $"resolving {reference}", async _ =>
        {
            using var deadline = NewDeadline(cancellationToken);
            using var response = await SendOnceAsync(connection, HttpMethod.Head, uri, PullScope(reference), deadline, configure: AcceptManifests).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }

            await EnsureSuccessAsync(response, reference.Registry, $"manifest {reference.FamiliarString}").ConfigureAwait(false);
            if (ContentDigestHeader(response) is not { } digest || response.Content.Headers.ContentLength is not { } size)
            {
                // Some registries leave HEAD bare: fall back to fetching the manifest.
                return (await GetManifestAsync(reference, cancellationToken).ConfigureAwait(false)).ToDescriptor();
            }

            return new Descriptor(response.Content.Headers.ContentType?.MediaType ?? MediaTypes.OciManifest, digest, size);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Uploads a manifest under the reference's tag (or digest); returns the digest the registry stored.</summary>
    public async Task<Digest> PutManifestAsync(ImageReference target, RegistryManifest manifest, CancellationToken cancellationToken)
    {
        var connection = await ConnectAsync(target.Registry, cancellationToken).ConfigureAwait(false);
        var uri = connection.Resolve($"v2/{target.Repository}/manifests/{target.ManifestReference}");
        return await WithRetriesAsync(target.Registry, $"pushing the manifest {target.FamiliarString}", async _ =>
        {
            using var deadline = NewDeadline(cancellationToken);
            using var content = new ReadOnlyMemoryContent(manifest.Content);
            content.Headers.ContentType = new MediaTypeHeaderValue(manifest.MediaType);
            using var response = await SendOnceAsync(connection, HttpMethod.Put, uri, PushScope(target), deadline, content).ConfigureAwait(false);
            await EnsureSuccessAsync(response, target.Registry, $"manifest {target.FamiliarString}").ConfigureAwait(false);
            if (ContentDigestHeader(response) is { Algorithm: "sha256" } stored && stored != manifest.Digest)
            {
                throw new RegistryDigestMismatchException(target.Registry, manifest.Digest, stored, "pushed manifest");
            }

            return manifest.Digest;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The tags of a repository (all pages).</summary>
    public async Task<IReadOnlyList<string>> ListTagsAsync(ImageReference repository, CancellationToken cancellationToken) =>
        await ListPagesAsync(repository.Registry, $"v2/{repository.Repository}/tags/list", "tags", PullScope(repository), cancellationToken).ConfigureAwait(false);

    /// <summary>The repositories of a registry (<c>/v2/_catalog</c>, all pages), for <c>search</c>.</summary>
    public async Task<IReadOnlyList<string>> ListRepositoriesAsync(string registry, CancellationToken cancellationToken) =>
        await ListPagesAsync(registry, "v2/_catalog", "repositories", "registry:catalog:*", cancellationToken).ConfigureAwait(false);

    private async Task<List<string>> ListPagesAsync(string registry, string path, string property, string scope, CancellationToken cancellationToken)
    {
        var connection = await ConnectAsync(registry, cancellationToken).ConfigureAwait(false);
        var names = new List<string>();
        Uri? next = connection.Resolve(path);
        while (next is not null)
        {
            var page = next;
            (var values, next) = await WithRetriesAsync(registry, $"listing {path}", async _ =>
            {
                using var deadline = NewDeadline(cancellationToken);
                using var response = await SendOnceAsync(connection, HttpMethod.Get, page, scope, deadline).ConfigureAwait(false);
                await EnsureSuccessAsync(response, registry, path).ConfigureAwait(false);
                using var json = JsonDocument.Parse(await ReadSmallBodyAsync(response, registry, deadline).ConfigureAwait(false));
                var list = json.RootElement.TryGetProperty(property, out var array) && array.ValueKind == JsonValueKind.Array
                    ? array.EnumerateArray().Select(e => e.GetString() ?? "").ToList()
                    : [];
                return (list, NextPage(response, page));
            }, cancellationToken).ConfigureAwait(false);
            names.AddRange(values);
        }

        return names;
    }

    private static Uri? NextPage(HttpResponseMessage response, Uri current)
    {
        if (!response.Headers.TryGetValues("Link", out var links))
        {
            return null;
        }

        foreach (var link in links)
        {
            var open = link.IndexOf('<', StringComparison.Ordinal);
            var close = link.IndexOf('>', StringComparison.Ordinal);
            if (open >= 0 && close > open && link.Contains("rel=\"next\"", StringComparison.Ordinal))
            {
                return new Uri(current, link[(open + 1)..close]);
            }
        }

        return null;
    }

    /// <summary>
    /// Opens the connection to <paramref name="registry"/> (the HTTPS or plain-HTTP probe, without
    /// credentials) ahead of the operations that will use it, so a build that pushes at its end does
    /// not wait for it then. A failure is not reported here: the operation that needs the registry
    /// probes again and reports it.
    /// </summary>
    public async Task WarmUpAsync(string registry, CancellationToken cancellationToken)
    {
        try
        {
            await ConnectAsync(registry, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Whatever went wrong (refused, unreachable, a bad CA file) happens again, and is reported,
            // when the push connects; the failed probe is not kept.
        }
    }

    private async Task<RegistryConnection> ConnectAsync(string registry, CancellationToken cancellationToken)
    {
        var host = RegistryHosts.ApiHost(registry);
        var lazy = connections.GetOrAdd(host, _ => new Lazy<Task<RegistryConnection>>(() => RegistryConnection.OpenAsync(registry, Options, cancellationToken)));
        try
        {
            return await lazy.Value.ConfigureAwait(false);
        }
        catch
        {
            // A failed probe is not cached: the next operation probes again.
            connections.TryRemove(new KeyValuePair<string, Lazy<Task<RegistryConnection>>>(host, lazy));
            throw;
        }
    }

    private TransferDeadline NewDeadline(CancellationToken cancellationToken) => new(Options, cancellationToken);

    /// <summary>Runs an attempt until it succeeds, retrying transient failures with back-off (Retry-After honoured).</summary>
    private async Task<T> WithRetriesAsync<T>(string registry, string what, Func<int, Task<T>> attempt, CancellationToken cancellationToken, Action<int>? onRetry = null)
    {
        for (var number = 0; ; number++)
        {
            try
            {
                return await attempt(number).ConfigureAwait(false);
            }
            catch (Exception e) when (RetryPolicy.IsTransient(e, cancellationToken))
            {
                if (number >= Options.MaxRetries)
                {
                    throw new RegistryTransportException(registry, $"{what} failed after {number + 1} attempts: {Describe(e)}", e);
                }

                onRetry?.Invoke(number);
                await Task.Delay(RetryPolicy.Backoff(number, Options, (e as RetryableStatusException)?.RetryAfter), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static string Describe(Exception e) => e switch
    {
        OperationCanceledException => "timed out",
        _ when e.InnerException is { } inner && e is HttpRequestException { StatusCode: null } => $"{e.Message} ({inner.Message})",
        _ => e.Message,
    };

    /// <summary>Sends one request; a 5xx/429 answer becomes a <see cref="RetryableStatusException"/>.</summary>
    private static async Task<HttpResponseMessage> SendOnceAsync(RegistryConnection connection, HttpMethod method, Uri uri, string scope, TransferDeadline deadline,
        HttpContent? content = null, Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(method, uri) { Content = content };
        request.Options.Set(RegistryAuthenticationHandler.ScopeOption, scope);
        configure?.Invoke(request);
        var response = await connection.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token).ConfigureAwait(false);
        if (RetryPolicy.IsTransient(response.StatusCode))
        {
            var retryAfter = response.Headers.RetryAfter;
            var status = response.StatusCode;
            response.Dispose();
            throw new RetryableStatusException(status, retryAfter);
        }

        return response;
    }

    private static void AcceptManifests(HttpRequestMessage request)
    {
        foreach (var mediaType in ManifestMediaTypes)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(mediaType));
        }
    }

    private static string PullScope(ImageReference reference) => $"repository:{reference.Repository}:pull";

    private static string PushScope(ImageReference reference) => $"repository:{reference.Repository}:pull,push";

    private static Digest? ContentDigestHeader(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Docker-Content-Digest", out var values) && Digest.TryParse(values.FirstOrDefault(), out var digest) ? digest : null;

    private static async Task<byte[]> ReadSmallBodyAsync(HttpResponseMessage response, string registry, TransferDeadline deadline)
    {
        if (response.Content.Headers.ContentLength > MaxManifestSize)
        {
            throw new RegistryException(registry, $"{registry} sent a document of {response.Content.Headers.ContentLength} bytes where a manifest (at most {MaxManifestSize}) was expected");
        }

        await using var body = await response.Content.ReadAsStreamAsync(deadline.Token).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var piece = new byte[64 * 1024];
        int read;
        while ((read = await body.ReadAsync(piece, deadline.Token).ConfigureAwait(false)) > 0)
        {
            deadline.Activity();
            buffer.Write(piece, 0, read);
            if (buffer.Length > MaxManifestSize)
            {
                throw new RegistryException(registry, $"{registry} sent more than {MaxManifestSize} bytes where a manifest was expected");
            }
        }

        if (response.Content.Headers.ContentLength is { } expected && buffer.Length != expected)
        {
            throw new IOException($"the response ended after {buffer.Length} of {expected} bytes");
        }

        return buffer.ToArray();
    }

    /// <summary>Turns an unsuccessful answer into the typed exception a user can act on, quoting the registry's error code.</summary>
    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string registry, string what)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var error = await ReadErrorAsync(response).ConfigureAwait(false);
        throw response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => RegistryAuthenticationException.For(registry, false),
            HttpStatusCode.Forbidden => new RegistryAuthenticationException(registry, $"access to {what} on {registry} was denied{error}"),
            HttpStatusCode.NotFound => new RegistryNotFoundException(registry, $"{what} was not found on {registry}{error}"),
            _ => new RegistryException(registry, $"{what}: {registry} answered {(int)response.StatusCode} {response.ReasonPhrase}{error}"),
        };
    }

    /// <summary>The distribution error body's first code and message, e.g. ": MANIFEST_INVALID (manifest invalid)".</summary>
    private static async Task<string> ReadErrorAsync(HttpResponseMessage response)
    {
        try
        {
            var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            using var json = JsonDocument.Parse(text.Length > 65536 ? text[..65536] : text);
            if (json.RootElement.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0)
            {
                var first = errors[0];
                var code = first.TryGetProperty("code", out var c) ? c.GetString() : null;
                var message = first.TryGetProperty("message", out var m) ? m.GetString() : null;
                return $": {code} ({message})";
            }
        }
        catch (Exception e) when (e is JsonException or HttpRequestException or IOException or InvalidOperationException)
        {
        }

        return "";
    }

    public void Dispose()
    {
        foreach (var lazy in connections.Values)
        {
            if (lazy.IsValueCreated && lazy.Value.IsCompletedSuccessfully)
            {
                lazy.Value.Result.Dispose();
            }
        }

        connections.Clear();
    }
}
