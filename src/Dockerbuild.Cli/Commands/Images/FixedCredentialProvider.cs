using Dockerbuild.Oci.Registry;

namespace Dockerbuild.Cli.Commands.Images;

/// <summary>The credentials being logged in with, offered to the one registry they are for.</summary>
internal sealed class FixedCredentialProvider(string registry, RegistryCredential credential) : IRegistryCredentialProvider
{
    public ValueTask<RegistryCredential?> GetAsync(string registry1, CancellationToken cancellationToken) =>
        ValueTask.FromResult(RegistryHosts.ConfigKey(registry1) == RegistryHosts.ConfigKey(registry) ? credential : null);
}
