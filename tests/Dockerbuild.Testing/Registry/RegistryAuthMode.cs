namespace Dockerbuild.Testing.Registry;

/// <summary>How a test registry authenticates its clients.</summary>
public enum RegistryAuthMode
{
    Anonymous,

    /// <summary>HTTP Basic against an htpasswd (bcrypt) file.</summary>
    Htpasswd,

    /// <summary>Bearer tokens issued by a <see cref="TokenServer"/> the registry trusts.</summary>
    Token,
}
