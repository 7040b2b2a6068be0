using System.Net;
using System.Net.Security;

namespace Dockerbuild.Oci.Registry;

/// <summary>
/// The HTTP stack for one registry host: a pooled SocketsHttpHandler with its TLS policy, the
/// authentication handler on top, and the base URI whose scheme was settled by probing /v2/.
/// </summary>
internal sealed class RegistryConnection : IDisposable
{
    private readonly RegistryTlsPolicy tls;

    private RegistryConnection(string host, HttpClient client, RegistryTlsPolicy tls, Uri baseUri)
    {
        Host = host;
        Client = client;
        this.tls = tls;
        BaseUri = baseUri;
    }

    public string Host { get; }

    public HttpClient Client { get; }

    public Uri BaseUri { get; }

    public Uri Resolve(string relative) => new(BaseUri, relative);

    public static async Task<RegistryConnection> OpenAsync(string registry, RegistryClientOptions options, CancellationToken cancellationToken)
    {
        var host = RegistryHosts.ApiHost(registry);
        var tls = new RegistryTlsPolicy(host, options);
        var sockets = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = options.MaxConnectionsPerRegistry,
            ConnectTimeout = options.ConnectTimeout,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60),
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
            AutomaticDecompression = DecompressionMethods.None,
            AllowAutoRedirect = true,
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = tls.Validate,
                ClientCertificates = tls.ClientCertificates,
            },
        };
        HttpMessageHandler transport = options.Trace is { } trace ? new RegistryTraceHandler(trace) { InnerHandler = sockets } : sockets;
        var auth = new RegistryAuthenticationHandler(registry, options.Credentials, TimeProvider.System) { InnerHandler = transport };
        var client = new HttpClient(auth) { Timeout = Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.UserAgent.ParseAdd(options.UserAgent);
        try
        {
            var baseUri = await ProbeAsync(host, sockets, tls, options, cancellationToken).ConfigureAwait(false);
            return new RegistryConnection(host, client, tls, baseUri);
        }
        catch
        {
            client.Dispose();
            tls.Dispose();
            throw;
        }
    }

    /// <summary>
    /// HTTPS unless the registry is loopback or declared insecure and does not speak TLS at all. Any HTTP
    /// answer to /v2/ (401 included) settles it.
    /// </summary>
    private static async Task<Uri> ProbeAsync(string host, SocketsHttpHandler sockets, RegistryTlsPolicy tls, RegistryClientOptions options, CancellationToken cancellationToken)
    {
        var https = new Uri($"https://{host}/");
        var plainAllowed = RegistryHosts.IsLoopback(host) || options.IsInsecure(host);
        using var probe = new HttpMessageInvoker(sockets, disposeHandler: false);
        for (var attempt = 0; ; attempt++)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.ConnectTimeout);
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(https, "v2/"));
                using var response = await probe.SendAsync(request, timeout.Token).ConfigureAwait(false);
                return https;
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                if (tls.Rejection is { } why)
                {
                    throw new RegistryTransportException(host,
                        $"the TLS certificate of {host} was refused: {why}. Trust its CA in {options.CertificatesDirectory ?? RegistryClientOptions.DefaultCertificatesDirectory}/{host}/ca.crt or {RegistryClientOptions.CaCertificatesVariable}, or declare it in {RegistryClientOptions.InsecureRegistriesVariable}", e);
                }

                if (plainAllowed && !tls.CertificateSeen)
                {
                    return new Uri($"http://{host}/");
                }

                if (attempt >= options.MaxRetries)
                {
                    throw new RegistryTransportException(host,
                        $"cannot reach the registry at https://{host}/: {e.Message}" + (plainAllowed ? "" : $" (for a plain-HTTP registry, add it to {RegistryClientOptions.InsecureRegistriesVariable})"), e);
                }

                await Task.Delay(RetryPolicy.Backoff(attempt, options), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public void Dispose()
    {
        Client.Dispose();
        tls.Dispose();
    }
}
