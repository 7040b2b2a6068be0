namespace Dockerbuild.Oci.Registry;

/// <summary>The registry could not be reached or spoke unexpectedly, after retries (connection, TLS, protocol).</summary>
public sealed class RegistryTransportException(string registry, string message, Exception? innerException = null)
    : RegistryException(registry, message, innerException);
