namespace Dockerbuild.Testing.Registry;

/// <summary>One setup of the test registry. The credentials apply to the htpasswd and token modes.</summary>
public sealed record RegistryServerOptions
{
    public RegistryAuthMode Auth { get; init; } = RegistryAuthMode.Anonymous;

    /// <summary>Serve HTTPS with a server certificate from a CA generated for this registry.</summary>
    public bool Tls { get; init; }

    public string Username { get; init; } = "tester";

    public string Password { get; init; } = "s3cret-" + Guid.NewGuid().ToString("N");

    /// <summary>Token mode: whether a request without credentials still gets pull access.</summary>
    public bool AnonymousPull { get; init; }

    public override string ToString() => $"{Auth}{(Tls ? "+TLS" : "")}";
}
