namespace Dockerbuild.Oci.Registry;

/// <summary>The registry (or its token service) refused the credentials, or wanted some and had none.</summary>
public sealed class RegistryAuthenticationException(string registry, string message, Exception? innerException = null)
    : RegistryException(registry, message, innerException)
{
    internal static RegistryAuthenticationException For(string registry, bool hadCredentials, string? repository = null) =>
        new(registry, hadCredentials
            ? $"authentication failed for {registry}{On(repository)}: check the username and password (or the token) and that they may access it"
            : $"authentication required for {registry}{On(repository)}: check the username and password (log in first, or set DOCKERBUILD_REGISTRY_USER and DOCKERBUILD_REGISTRY_PASSWORD)");

    private static string On(string? repository) => repository is null ? "" : $" (repository {repository})";
}
