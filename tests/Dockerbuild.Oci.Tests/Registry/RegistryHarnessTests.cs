using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Dockerbuild.Testing.Registry;

namespace Dockerbuild.Oci.Tests.Registry;

/// <summary>The test registry setups behave as the distribution registry documents, seen with a bare HttpClient.</summary>
public sealed class RegistryHarnessTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnonymousRegistryAnswersV2()
    {
        await using var registry = await RegistryServer.StartAsync(cancellationToken: Ct);
        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri(registry.BaseUri, "v2/"), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task HtpasswdRegistryWantsBasicCredentials()
    {
        await using var registry = await RegistryServer.StartAsync(new() { Auth = RegistryAuthMode.Htpasswd }, Ct);
        using var http = new HttpClient();
        using var anonymous = await http.GetAsync(new Uri(registry.BaseUri, "v2/"), Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("Basic", anonymous.Headers.WwwAuthenticate.Single().Scheme);

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(registry.BaseUri, "v2/"));
        request.Headers.Authorization = Basic(registry.Username, registry.Password);
        using var authorized = await http.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.OK, authorized.StatusCode);
    }

    [Fact]
    public async Task TokenRegistryAcceptsTokensOfItsTokenServer()
    {
        await using var registry = await RegistryServer.StartAsync(new() { Auth = RegistryAuthMode.Token }, Ct);
        using var http = new HttpClient();
        using var challenge = await http.GetAsync(new Uri(registry.BaseUri, "v2/demo/tags/list"), Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, challenge.StatusCode);
        var header = challenge.Headers.WwwAuthenticate.Single();
        Assert.Equal("Bearer", header.Scheme);
        Assert.Contains("scope=\"repository:demo:pull\"", header.Parameter, StringComparison.Ordinal);

        using var tokenRequest = new HttpRequestMessage(HttpMethod.Get, new Uri(registry.TokenServer!.Realm, $"?service={TokenServer.Service}&scope=repository:demo:pull"));
        tokenRequest.Headers.Authorization = Basic(registry.Username, registry.Password);
        using var tokenResponse = await http.SendAsync(tokenRequest, Ct);
        var token = JsonDocument.Parse(await tokenResponse.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("token").GetString();

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(registry.BaseUri, "v2/demo/tags/list"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var authorized = await http.SendAsync(request, Ct);
        // Authorized, and the repository does not exist yet.
        Assert.Equal(HttpStatusCode.NotFound, authorized.StatusCode);
    }

    [Fact]
    public async Task TlsRegistryIsTrustedThroughItsCaOnly()
    {
        await using var registry = await RegistryServer.StartAsync(new() { Tls = true }, Ct);
        Assert.Equal("https", registry.BaseUri.Scheme);

        using var untrusting = new HttpClient();
        await Assert.ThrowsAsync<HttpRequestException>(() => untrusting.GetAsync(new Uri(registry.BaseUri, "v2/"), Ct));

        using var ca = X509Certificate2.CreateFromPem(File.ReadAllText(registry.CaCertificatePath!));
        using var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
        {
            chain!.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(ca);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return chain.Build((X509Certificate2)certificate!);
        };
        using var trusting = new HttpClient(handler);
        using var response = await trusting.GetAsync(new Uri(registry.BaseUri, "v2/"), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task FaultProxyForwardsAndInjects()
    {
        await using var registry = await RegistryServer.StartAsync(cancellationToken: Ct);
        await using var proxy = FaultProxy.Start(registry.BaseUri);
        proxy.AddRule(FaultRule.FirstHits(1, Fault.Status(503, "1"), "GET", "^/v2/$"));
        proxy.AddRule(FaultRule.FirstHits(1, Fault.Reset(), "GET", "^/v2/_catalog"));
        using var http = new HttpClient();
        var v2 = new Uri(proxy.BaseUri, "v2/");

        using (var injected = await http.GetAsync(v2, Ct))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, injected.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(1), injected.Headers.RetryAfter?.Delta);
        }

        using (var forwarded = await http.GetAsync(v2, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, forwarded.StatusCode);
            Assert.Equal("registry/2.0", forwarded.Headers.GetValues("Docker-Distribution-Api-Version").Single());
        }

        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(new Uri(proxy.BaseUri, "v2/_catalog"), Ct));
        Assert.Equal("{\"repositories\":[]}\n", await http.GetStringAsync(new Uri(proxy.BaseUri, "v2/_catalog"), Ct));
        Assert.Equal([503, 200, 0, 200], proxy.Requests.Select(r => r.Status));
    }

    private static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
}
