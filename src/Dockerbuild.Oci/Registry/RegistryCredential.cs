namespace Dockerbuild.Oci.Registry;

/// <summary>
/// Credentials for one registry: a username and password, or an identity (refresh) token. ToString never
/// shows the secrets.
/// </summary>
public sealed record RegistryCredential(string Username, string Password, string? IdentityToken = null)
{
    public static RegistryCredential FromIdentityToken(string username, string identityToken) => new(username, "", identityToken);

    public override string ToString() => $"RegistryCredential {{ Username = {Username}, Password = ***, IdentityToken = {(IdentityToken is null ? "none" : "***")} }}";
}
