namespace Dockerbuild.Oci.Registry;

/// <summary>The repository, tag, manifest or blob does not exist in the registry.</summary>
public sealed class RegistryNotFoundException(string registry, string message)
    : RegistryException(registry, message);
