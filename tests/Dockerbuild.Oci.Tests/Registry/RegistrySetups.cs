using Dockerbuild.Oci.Registry;
using Dockerbuild.Testing.Registry;

namespace Dockerbuild.Oci.Tests.Registry;

/// <summary>The four registry setups, and a client configured for each as a user would configure it.</summary>
internal static class RegistrySetups
{
    public static TheoryData<string> All => ["anonymous", "htpasswd", "tls", "token"];

    public static RegistryServerOptions Options(string setup) => setup switch
    {
        "anonymous" => new RegistryServerOptions(),
        "htpasswd" => new RegistryServerOptions { Auth = RegistryAuthMode.Htpasswd },
        "tls" => new RegistryServerOptions { Tls = true, Auth = RegistryAuthMode.Htpasswd },
        "token" => new RegistryServerOptions { Auth = RegistryAuthMode.Token },
        _ => throw new ArgumentOutOfRangeException(nameof(setup), setup, null),
    };

    /// <summary>Options a user would set: their credentials, the registry's CA in a docker-style certs.d, fast retries.</summary>
    public static RegistryClientOptions ClientOptions(RegistryServer registry, string? password = null) => new()
    {
        Credentials = registry.Options.Auth == RegistryAuthMode.Anonymous
            ? null
            : new StaticCredentialProvider(new RegistryCredential(registry.Username, password ?? registry.Password)),
        CertificatesDirectory = registry.CertsDirectory,
        RetryBaseDelay = TimeSpan.FromMilliseconds(20),
        MaxRetryDelay = TimeSpan.FromMilliseconds(200),
    };

    public static ImageReference Repository(string host, string name) => ImageReference.Parse($"{host}/{name}");
}
