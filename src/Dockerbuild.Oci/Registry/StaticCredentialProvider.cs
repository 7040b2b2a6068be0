namespace Dockerbuild.Oci.Registry;

/// <summary>
/// Fixed credentials, for one registry or for all: what <c>login</c> checks before storing them, and what
/// <c>--username/--password</c> style options give.
/// </summary>
public sealed class StaticCredentialProvider(RegistryCredential credential, string? registry = null) : IRegistryCredentialProvider
{
    public ValueTask<RegistryCredential?> GetAsync(string requested, CancellationToken cancellationToken) =>
        ValueTask.FromResult(registry is null || RegistryHosts.ConfigKey(registry) == RegistryHosts.ConfigKey(requested) ? credential : null);
}
