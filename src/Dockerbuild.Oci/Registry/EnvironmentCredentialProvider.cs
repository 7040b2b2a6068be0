namespace Dockerbuild.Oci.Registry;

/// <summary>
/// Credentials from environment variables, for CI: <c>DOCKERBUILD_REGISTRY_USER</c> and
/// <c>DOCKERBUILD_REGISTRY_PASSWORD</c>, limited to one registry when <c>DOCKERBUILD_REGISTRY</c> names it;
/// else the .NET SDK's <c>DOTNET_CONTAINER_REGISTRY_UNAME</c>/<c>DOTNET_CONTAINER_REGISTRY_PWORD</c>.
/// </summary>
public sealed class EnvironmentCredentialProvider(Func<string, string?>? environment = null) : IRegistryCredentialProvider
{
    public const string UserVariable = "DOCKERBUILD_REGISTRY_USER";
    public const string PasswordVariable = "DOCKERBUILD_REGISTRY_PASSWORD";
    public const string RegistryVariable = "DOCKERBUILD_REGISTRY";
    public const string SdkUserVariable = "DOTNET_CONTAINER_REGISTRY_UNAME";
    public const string SdkPasswordVariable = "DOTNET_CONTAINER_REGISTRY_PWORD";

    private readonly Func<string, string?> environment = environment ?? Environment.GetEnvironmentVariable;

    public ValueTask<RegistryCredential?> GetAsync(string registry, CancellationToken cancellationToken)
    {
        if (environment(RegistryVariable) is { Length: > 0 } only && RegistryHosts.ConfigKey(only) != RegistryHosts.ConfigKey(registry))
        {
            return ValueTask.FromResult<RegistryCredential?>(null);
        }

        var credential = Pair(UserVariable, PasswordVariable) ?? Pair(SdkUserVariable, SdkPasswordVariable);
        return ValueTask.FromResult(credential);
    }

    private RegistryCredential? Pair(string userVariable, string passwordVariable) =>
        environment(userVariable) is { Length: > 0 } user && environment(passwordVariable) is { } password
            ? new RegistryCredential(user, password)
            : null;
}
