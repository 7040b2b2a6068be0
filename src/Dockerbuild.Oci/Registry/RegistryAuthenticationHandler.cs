using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Dockerbuild.Oci.Registry;

/// <summary>
/// Answers a registry's challenges for one registry host: Basic with the stored credentials, or Bearer
/// with a token fetched from the challenge's realm for its service and scopes (plus the scopes the caller
/// announces in <see cref="ScopeOption"/>), cached per scope set until shortly before it expires. After
/// the first challenge, requests carry credentials up front; a 401 refreshes the token once, and a second
/// 401 is a <see cref="RegistryAuthenticationException"/>.
/// </summary>
internal sealed class RegistryAuthenticationHandler(string registry, IRegistryCredentialProvider? credentials, TimeProvider time) : DelegatingHandler
{
    /// <summary>The scopes a request needs, e.g. <c>repository:app:pull,push</c>, space-separated.</summary>
    public static readonly HttpRequestOptionsKey<string> ScopeOption = new("dockerbuild.registry.scope");

    private static readonly TimeSpan DefaultTokenLifetime = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan RefreshMargin = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, Lazy<Task<BearerToken>>> tokens = new(StringComparer.Ordinal);
    private readonly Lazy<Task<RegistryCredential?>> credential = new(() => LoadAsync(registry, credentials));
    private AuthenticationChallenge? challenge;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Options.TryGetValue(ScopeOption, out var hinted);
        Lazy<Task<BearerToken>>? used = null;
        if (Volatile.Read(ref challenge) is { } known)
        {
            used = await AuthorizeAsync(request, known, hinted, stale: null, cancellationToken).ConfigureAwait(false);
        }

        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized || AuthenticationChallenge.From(response.Headers.WwwAuthenticate) is not { } fresh)
        {
            return response;
        }

        response.Dispose();
        Volatile.Write(ref challenge, fresh);
        await AuthorizeAsync(request, fresh, hinted, stale: used, cancellationToken).ConfigureAwait(false);
        response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            response.Dispose();
            throw RegistryAuthenticationException.For(registry, await credential.Value.ConfigureAwait(false) is not null, RepositoryOf(hinted));
        }

        return response;
    }

    /// <summary>
    /// Sets the Authorization header; returns the token task used (Bearer). A token equal to
    /// <paramref name="stale"/> was just refused, so it is replaced — once, however many requests saw it
    /// refused at the same time.
    /// </summary>
    private async Task<Lazy<Task<BearerToken>>?> AuthorizeAsync(HttpRequestMessage request, AuthenticationChallenge with, string? hinted, Lazy<Task<BearerToken>>? stale, CancellationToken cancellationToken)
    {
        var login = await credential.Value.ConfigureAwait(false);
        if (with.IsBasic)
        {
            request.Headers.Authorization = login is null
                ? throw RegistryAuthenticationException.For(registry, false, RepositoryOf(hinted))
                : new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{login.Username}:{login.Password}")));
            return null;
        }

        var scopes = with.Scopes.Concat(hinted?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? []).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var key = string.Join(' ', scopes);
        // Lazy: of several requests racing to replace a token, only the winner's fetch ever runs.
        Lazy<Task<BearerToken>> Fetch() => new(() => FetchTokenAsync(with, scopes, login, cancellationToken));
        var pending = tokens.GetOrAdd(key, _ => Fetch());
        var unusable = pending == stale
            || (pending.IsValueCreated && (pending.Value.IsFaulted || pending.Value.IsCanceled
                || (pending.Value.IsCompletedSuccessfully && pending.Value.Result.RefreshAfter <= time.GetUtcNow())));
        if (unusable)
        {
            var replacement = Fetch();
            pending = tokens.TryUpdate(key, replacement, pending) ? replacement : tokens.GetOrAdd(key, replacement);
        }

        try
        {
            var token = await pending.Value.ConfigureAwait(false);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Value);
            return pending;
        }
        catch
        {
            tokens.TryRemove(new KeyValuePair<string, Lazy<Task<BearerToken>>>(key, pending));
            throw;
        }
    }

    private async Task<BearerToken> FetchTokenAsync(AuthenticationChallenge with, IReadOnlyList<string> scopes, RegistryCredential? login, CancellationToken cancellationToken)
    {
        if (with.Realm is not { } realm || !Uri.TryCreate(realm, UriKind.Absolute, out var realmUri))
        {
            throw new RegistryTransportException(registry, $"{registry} asked for a Bearer token without a usable realm");
        }

        using var request = login?.IdentityToken is { } identityToken
            ? RefreshTokenRequest(realmUri, with.Service, scopes, identityToken)
            : TokenRequest(realmUri, with.Service, scopes, login);
        using var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            throw RegistryAuthenticationException.For(registry, login is not null, RepositoryOf(string.Join(' ', scopes)));
        }

        if (!response.IsSuccessStatusCode)
        {
            var message = $"the token service of {registry} ({realmUri.Authority}) answered {(int)response.StatusCode} {response.ReasonPhrase}";
            throw RetryPolicy.IsTransient(response.StatusCode)
                ? new RetryableStatusException(response.StatusCode, response.Headers.RetryAfter)
                : new RegistryTransportException(registry, message);
        }

        var now = time.GetUtcNow();
        try
        {
            using var json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), cancellationToken: cancellationToken).ConfigureAwait(false);
            var root = json.RootElement;
            var value = (root.TryGetProperty("token", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null)
                ?? (root.TryGetProperty("access_token", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null)
                ?? throw new JsonException("no token in the answer");
            var lifetime = root.TryGetProperty("expires_in", out var e) && e.TryGetInt32(out var seconds) && seconds > 0
                ? TimeSpan.FromSeconds(seconds)
                : DefaultTokenLifetime;
            return new BearerToken(value, now + lifetime - (lifetime > RefreshMargin * 2 ? RefreshMargin : TimeSpan.Zero));
        }
        catch (JsonException e)
        {
            throw new RegistryTransportException(registry, $"the token service of {registry} ({realmUri.Authority}) sent an unreadable answer", e);
        }
    }

    private static HttpRequestMessage TokenRequest(Uri realm, string? service, IReadOnlyList<string> scopes, RegistryCredential? login)
    {
        var query = new StringBuilder(realm.Query.Length > 1 ? realm.Query[1..] + "&" : "");
        if (service is not null)
        {
            query.Append("service=").Append(Uri.EscapeDataString(service)).Append('&');
        }

        foreach (var scope in scopes)
        {
            query.Append("scope=").Append(Uri.EscapeDataString(scope)).Append('&');
        }

        if (login is not null)
        {
            query.Append("account=").Append(Uri.EscapeDataString(login.Username)).Append('&');
        }

        var uri = new UriBuilder(realm) { Query = query.ToString().TrimEnd('&') }.Uri;
        var request = new HttpRequestMessage(HttpMethod.Get, uri);
        if (login is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{login.Username}:{login.Password}")));
        }

        return request;
    }

    /// <summary>The OAuth2 refresh-token grant docker uses with an identity token.</summary>
    private static HttpRequestMessage RefreshTokenRequest(Uri realm, string? service, IReadOnlyList<string> scopes, string identityToken)
    {
        var form = new List<KeyValuePair<string, string>>
        {
            new("grant_type", "refresh_token"),
            new("refresh_token", identityToken),
            new("client_id", "dockerbuild"),
            new("scope", string.Join(' ', scopes)),
        };
        if (service is not null)
        {
            form.Add(new("service", service));
        }

        return new HttpRequestMessage(HttpMethod.Post, realm) { Content = new FormUrlEncodedContent(form) };
    }

    private static string? RepositoryOf(string? scopes) =>
        scopes?.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(s => s.Split(':'))
            .Where(p => p.Length >= 3 && p[0] == "repository")
            .Select(p => string.Join(':', p[1..^1]))
            .FirstOrDefault();

    private static async Task<RegistryCredential?> LoadAsync(string registry, IRegistryCredentialProvider? credentials) =>
        credentials is null ? null : await credentials.GetAsync(registry, CancellationToken.None).ConfigureAwait(false);
}
