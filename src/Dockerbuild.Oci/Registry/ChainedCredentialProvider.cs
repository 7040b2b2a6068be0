namespace Dockerbuild.Oci.Registry;

/// <summary>Asks providers in order and takes the first credentials found.</summary>
public sealed class ChainedCredentialProvider(params IReadOnlyList<IRegistryCredentialProvider> providers) : IRegistryCredentialProvider
{
    /// <summary>The default order: environment variables, then docker's config.json and its helpers.</summary>
    public static ChainedCredentialProvider Default(Func<string, string?>? environment = null) =>
        new(new EnvironmentCredentialProvider(environment), DockerConfigCredentialStore.FromEnvironment(environment));

    public async ValueTask<RegistryCredential?> GetAsync(string registry, CancellationToken cancellationToken)
    {
        foreach (var provider in providers)
        {
            if (await provider.GetAsync(registry, cancellationToken).ConfigureAwait(false) is { } credential)
            {
                return credential;
            }
        }

        return null;
    }
}
