using Dockerbuild.Oci.Registry;

namespace Dockerbuild.Oci.Tests.Registry;

/// <summary>The same credentials for every registry.</summary>
internal sealed class StaticCredentials(RegistryCredential credential) : IRegistryCredentialProvider
{
    public ValueTask<RegistryCredential?> GetAsync(string registry, CancellationToken cancellationToken) => ValueTask.FromResult<RegistryCredential?>(credential);
}
