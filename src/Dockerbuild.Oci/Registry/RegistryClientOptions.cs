namespace Dockerbuild.Oci.Registry;

/// <summary>
/// How a <see cref="RegistryClient"/> reaches registries. Defaults suit large layers: no overall HTTP
/// timeout, an inactivity timeout on every read and write instead, one request per blob, six transfers at
/// once, and retries with exponential back-off.
/// </summary>
public sealed record RegistryClientOptions
{
    public const string InsecureRegistriesVariable = "DOCKERBUILD_INSECURE_REGISTRIES";
    public const string CaCertificatesVariable = "DOCKERBUILD_REGISTRY_CA";
    public const string DefaultCertificatesDirectory = "/etc/docker/certs.d";

    /// <summary>Where credentials come from; null means anonymous only.</summary>
    public IRegistryCredentialProvider? Credentials { get; init; }

    /// <summary>
    /// Registries (host or host:port) reached over plain HTTP, or over HTTPS without certificate checks.
    /// Loopback registries may always fall back to plain HTTP.
    /// </summary>
    public IReadOnlyList<string> InsecureRegistries { get; init; } = [];

    /// <summary>Docker's per-registry certificates folder: <c>&lt;dir&gt;/&lt;host:port&gt;/*.crt</c> are CAs, <c>*.cert</c>+<c>*.key</c> a client certificate.</summary>
    public string? CertificatesDirectory { get; init; } = DefaultCertificatesDirectory;

    /// <summary>Extra CA certificate files (PEM) trusted for every registry.</summary>
    public IReadOnlyList<string> CaCertificateFiles { get; init; } = [];

    /// <summary>
    /// Blobs transferred at the same time by image pushes and pulls. Six, as skopeo: with fewer slots than
    /// layers, the last layer of a typical image goes alone while the others are done.
    /// </summary>
    public int MaxParallelTransfers { get; init; } = 6;

    public int MaxConnectionsPerRegistry { get; init; } = 8;

    /// <summary>
    /// Blobs up to this size go up in one PUT. Larger ones go up in one streamed PATCH (then a PUT to
    /// complete), which after a failure resumes where the registry says it stopped.
    /// </summary>
    public long MonolithicUploadLimit { get; init; } = 32L * 1024 * 1024;

    /// <summary>
    /// When set, no upload request carries more than this many bytes: larger blobs go up in PATCH chunks of
    /// this size (for registries or proxies that limit the size of a request). Unset by default, because
    /// every chunk costs the registry a round trip and a reopened upload session.
    /// </summary>
    public long? ChunkSize { get; init; }

    public int MaxRetries { get; init; } = 5;

    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest wait between attempts, also capping a registry's Retry-After.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A transfer that moves no byte for this long is abandoned (and retried).</summary>
    public TimeSpan InactivityTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How long to wait for response headers once a request (and its body) has been sent.</summary>
    public TimeSpan ResponseTimeout { get; init; } = TimeSpan.FromMinutes(5);

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public string UserAgent { get; init; } = "dockerbuild";

    /// <summary>Receives one line per HTTP exchange (for --debug); credentials in it are always <c>***</c>.</summary>
    public Action<string>? Trace { get; init; }

    /// <summary>
    /// Defaults plus the environment: credentials from DOCKERBUILD_REGISTRY_USER/PASSWORD and docker's
    /// config.json, insecure registries from DOCKERBUILD_INSECURE_REGISTRIES (comma-separated host[:port]),
    /// extra CA files from DOCKERBUILD_REGISTRY_CA (path-separator-separated).
    /// </summary>
    public static RegistryClientOptions FromEnvironment(Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        return new RegistryClientOptions
        {
            Credentials = ChainedCredentialProvider.Default(environment),
            InsecureRegistries = Split(environment(InsecureRegistriesVariable), ','),
            CaCertificateFiles = Split(environment(CaCertificatesVariable), Path.PathSeparator),
        };
    }

    internal bool IsInsecure(string host)
    {
        var normalized = RegistryHosts.Normalize(host);
        return InsecureRegistries.Any(r =>
        {
            var entry = RegistryHosts.Normalize(r);
            return entry == normalized || entry == RegistryHosts.HostWithoutPort(normalized);
        });
    }

    private static string[] Split(string? value, char separator) =>
        value?.Split(separator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
}
